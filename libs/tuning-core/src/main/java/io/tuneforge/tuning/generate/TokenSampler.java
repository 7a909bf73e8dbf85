package io.tuneforge.tuning.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of last-position logits, in Java.
 *
 * <p>Why in Java: the logits of one position are V floats (32k–152k for real models, 0.1–0.6 MB),
 * cheap to copy next to a decoder step, and a Java loop with a {@link SplittableRandom} per row
 * makes sampling exactly repeatable, independent of the device, of PyTorch's RNG and of the
 * batch's other rows.
 *
 * <p>Steps (transformers' order): 1) divide by temperature, 2) top-k: drop logits below the k-th
 * largest, 3) softmax in double, 4) top-p: keep the most likely tokens until their mass reaches
 * p (the token that crosses p stays), 5) renormalise and draw once.
 */
public final class TokenSampler {

    private TokenSampler() {
    }

    /** The next token id for logits {@code [offset, offset + vocab)}. */
    public static int next(float[] logits, int offset, int vocab, GenerationConfig config, SplittableRandom rng) {
        if (config.greedy()) {
            return argmax(logits, offset, vocab);
        }
        double[] probs = probabilities(logits, offset, vocab, config.temperature(), config.topK(), config.topP());
        return draw(probs, rng.nextDouble());
    }

    /** Index of the largest logit (the first one on ties), as torch.argmax. NaN logits are refused. */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits[offset + i];
            if (Float.isNaN(v)) {
                throw new IllegalStateException("logit " + i + " is NaN; the model's forward pass diverged");
            }
            if (v > max || i == 0) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    /**
     * The sampling distribution after temperature, top-k and top-p: probabilities that sum to 1,
     * zero for filtered tokens.
     *
     * @param topK 0 = off
     * @param topP 1 = off
     */
    public static double[] probabilities(float[] logits, int offset, int vocab, double temperature, int topK,
            double topP) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0 for sampling, got " + temperature);
        }
        // 1) temperature and 2) top-k on the scaled logits: keep those ≥ the k-th largest.
        double[] scaled = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            float v = logits[offset + i];
            if (Float.isNaN(v)) {
                throw new IllegalStateException("logit " + i + " is NaN; the model's forward pass diverged");
            }
            scaled[i] = v / temperature;
        }
        double kth = topK > 0 && topK < vocab ? kthLargest(scaled, topK) : Double.NEGATIVE_INFINITY;
        // 3) softmax over the kept tokens, shifted by the max for stability.
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scaled) {
            max = Math.max(max, v);
        }
        double[] probs = new double[vocab];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            if (scaled[i] >= kth && scaled[i] > Double.NEGATIVE_INFINITY) {
                probs[i] = Math.exp(scaled[i] - max);
                sum += probs[i];
            }
        }
        if (!(sum > 0)) {
            throw new IllegalStateException("no token has a finite logit; cannot sample");
        }
        for (int i = 0; i < vocab; i++) {
            probs[i] /= sum;
        }
        // 4) top-p, then 5) renormalise.
        if (topP < 1) {
            nucleus(probs, topP);
        }
        return probs;
    }

    /** Index drawn from {@code probs} (summing to 1) with uniform {@code u} in [0, 1). */
    public static int draw(double[] probs, double u) {
        double target = u * sumOf(probs);
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                cumulative += probs[i];
                last = i;
                if (target < cumulative) {
                    return i;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("distribution has no token with probability > 0");
        }
        return last;
    }

    /**
     * Zeroes every token outside the nucleus and renormalises in place. Tokens with probability
     * below (1 - p) / V can never be needed (all of them together weigh less than 1 - p), so only
     * the others are sorted.
     */
    static void nucleus(double[] probs, double topP) {
        int vocab = probs.length;
        double floor = (1 - topP) / vocab;
        long[] keys = new long[vocab];
        int candidates = 0;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] >= floor && probs[i] > 0) {
                // Non-negative floats order like their bits; the low 32 bits keep ties in index order.
                keys[candidates++] = ((long) Float.floatToIntBits((float) probs[i]) << 32) | (0xffffffffL - i);
            }
        }
        Arrays.sort(keys, 0, candidates);
        boolean[] keep = new boolean[vocab];
        double cumulative = 0;
        for (int c = candidates - 1; c >= 0; c--) {
            int index = (int) (0xffffffffL - (keys[c] & 0xffffffffL));
            keep[index] = true;
            cumulative += probs[index];
            if (cumulative >= topP) {
                break;
            }
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            if (!keep[i]) {
                probs[i] = 0;
            }
            sum += probs[i];
        }
        for (int i = 0; i < vocab; i++) {
            probs[i] /= sum;
        }
    }

    private static double kthLargest(double[] values, int k) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - k];
    }

    private static double sumOf(double[] probs) {
        double sum = 0;
        for (double p : probs) {
            sum += p;
        }
        return sum;
    }
}
