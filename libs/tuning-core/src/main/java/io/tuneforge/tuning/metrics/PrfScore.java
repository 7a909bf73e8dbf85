package io.tuneforge.tuning.metrics;

/**
 * Precision, recall and F1 of one comparison, each in [0, 1].
 *
 * <pre>
 * precision = overlap / |prediction|,  recall = overlap / |reference|,  F1 = 2·P·R / (P + R)   (0 when P + R = 0)
 * </pre>
 */
public record PrfScore(double precision, double recall, double f1) {

    public static final PrfScore ZERO = new PrfScore(0, 0, 0);

    /** From an overlap count and the two sizes; an empty side gives {@link #ZERO}. */
    public static PrfScore of(long overlap, long predictionSize, long referenceSize) {
        if (predictionSize == 0 || referenceSize == 0) {
            return ZERO;
        }
        double p = (double) overlap / predictionSize;
        double r = (double) overlap / referenceSize;
        return new PrfScore(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }
}
