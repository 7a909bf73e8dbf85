package io.tuneforge.tuning.train;

/**
 * Where the wall time of one optimizer step went, in milliseconds, as {@link StepRunner} measures it
 * (libtorch on the CPU runs every op synchronously, so the clock between calls is the ops' time):
 *
 * <pre>
 * forward    collate, forward pass and loss of every micro-batch (the loss read included)
 * backward   autograd's backward pass (weight and activation gradients, accumulated into .grad)
 * clip       the gradients' global norm (read once)
 * optimizer  AdamW, gradient scaling folded in, and master → model copies (bf16 only)
 * zeroGrad   setting the accumulated gradients back to zero
 * total      the whole step; total − the rest is the Java and manager overhead around them
 * </pre>
 */
public record StepPhases(double forwardMs, double backwardMs, double clipMs, double optimizerMs, double zeroGradMs,
                         double totalMs) {

    /** Wall time not inside one of the named phases. */
    public double otherMs() {
        return totalMs - forwardMs - backwardMs - clipMs - optimizerMs - zeroGradMs;
    }
}
