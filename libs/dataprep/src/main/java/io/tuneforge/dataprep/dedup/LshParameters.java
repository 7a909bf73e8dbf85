package io.tuneforge.dataprep.dedup;

/**
 * Bands and rows of MinHash LSH for a Jaccard threshold: a pair becomes a candidate when all {@code rows} positions
 * of at least one of the {@code bands} bands agree, with probability {@code 1 - (1 - s^r)^b} at similarity s.
 *
 * <p>Chosen like datasketch's {@code _optimal_param}: the (b, r) with {@code b·r ≤ k} that minimises
 * {@code w_fp·FP + w_fn·FN}, FP being the area under that curve below the threshold and FN the area above it under
 * one minus the curve. Candidates are verified on the full signature, so a false positive costs one comparison and
 * a false negative a missed duplicate: the weights are 0.1 and 0.9. For 128 permutations: threshold 0.85 → 11 bands
 * of 11 rows (a pair at J = 0.85 is a candidate with probability 0.87, at 0.9 with 0.98, at 0.7 with 0.2).
 */
public record LshParameters(int bands, int rows) {

    static final double FALSE_POSITIVE_WEIGHT = 0.1;
    static final double FALSE_NEGATIVE_WEIGHT = 0.9;
    private static final int STEPS = 200;

    public LshParameters {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("LSH needs at least one band of one row, got " + bands + "x" + rows);
        }
    }

    public static LshParameters forThreshold(double threshold, int numPermutations) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("near-duplicate threshold must be between 0 and 1 (exclusive), got "
                    + threshold);
        }
        LshParameters best = null;
        double bestError = Double.MAX_VALUE;
        for (int b = 1; b <= numPermutations; b++) {
            for (int r = 1; r <= numPermutations / b; r++) {
                double fp = integrate(b, r, 0, threshold, false);
                double fn = integrate(b, r, threshold, 1, true);
                double error = FALSE_POSITIVE_WEIGHT * fp + FALSE_NEGATIVE_WEIGHT * fn;
                if (error < bestError) {
                    bestError = error;
                    best = new LshParameters(b, r);
                }
            }
        }
        return best;
    }

    /** Probability that a pair of similarity {@code s} becomes a candidate. */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    private static double integrate(int b, int r, double from, double to, boolean complement) {
        double h = (to - from) / STEPS;
        double sum = 0;
        for (int i = 0; i < STEPS; i++) {
            double s = from + (i + 0.5) * h;
            double p = 1 - Math.pow(1 - Math.pow(s, r), b);
            sum += complement ? 1 - p : p;
        }
        return sum * h;
    }
}
