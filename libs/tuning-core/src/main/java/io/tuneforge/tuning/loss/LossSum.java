package io.tuneforge.tuning.loss;

import ai.djl.ndarray.NDArray;

/**
 * A summed loss and how many terms it sums, so gradient accumulation can normalise by the
 * target tokens of all micro-batches together (each micro-batch's {@code sum} divided by the
 * total count) instead of averaging per-batch means, which would over-weight short batches.
 *
 * @param sum scalar f32, in the autograd graph when the logits are
 * @param count terms in the sum (labels other than -100 after the causal shift)
 */
public record LossSum(NDArray sum, long count) {

    /** {@code sum / count} as a Java number (0 when count is 0); for logging, not for gradients. */
    public double meanValue() {
        return count == 0 ? 0.0 : sum.getFloat() / (double) count;
    }
}
