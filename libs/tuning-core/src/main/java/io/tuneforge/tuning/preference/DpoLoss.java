package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Direct Preference Optimization (Rafailov et al., 2023, "Direct Preference Optimization: Your
 * Language Model is Secretly a Reward Model", eq. 7), in TRL's {@code loss_type="sigmoid"} form
 * with conservative label smoothing ε (Mitchell, 2023, "A note on DPO with noisy preferences"):
 *
 * <pre>
 * π_c, π_r   summed log-probs of the chosen / rejected response tokens under the policy      (B,)
 * ref_c, ref_r  the same under the frozen reference (the base model)                         (B,)
 * h          = (π_c − ref_c) − (π_r − ref_r)                                                 (B,)
 * loss_i     = −(1 − ε) · log σ(β·h) − ε · log σ(−β·h)                                        (B,)
 * rewards    = β·(π_c − ref_c), β·(π_r − ref_r)   (implicit rewards, logged, no gradient)
 * </pre>
 *
 * {@code log σ(x)} is computed as {@code −softplus(−x)}, which is stable for large |x| and has the
 * exact gradient {@code σ(−x)}. With a LoRA policy whose B matrices are still zero, π = ref, h = 0 and
 * every loss_i = log 2.
 *
 * <p>β, 1 − ε and ε are tensors owned by this object (shared/notes/djl-verified.md, trap 1: a Number
 * argument on the autograd path is freed before backward). Close it after the last backward.
 */
public final class DpoLoss implements AutoCloseable {

    private final NDManager manager;
    private final double beta;
    private final double labelSmoothing;
    private final NDArray betaT;        // () β
    private final NDArray keepT;        // () 1 − ε
    private final NDArray smoothT;      // () ε

    /**
     * The per-pair results.
     *
     * @param losses (B,) loss_i, in the autograd graph of the policy log-probs
     * @param chosenRewards (B,) β·(π_c − ref_c), detached
     * @param rejectedRewards (B,) β·(π_r − ref_r), detached
     */
    public record Output(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {
    }

    /**
     * @param beta β &gt; 0, the strength of the KL constraint to the reference (TRL's default 0.1)
     * @param labelSmoothing ε in [0, 0.5): the assumed probability that a preference label is flipped
     * @param device where the log-probs live
     */
    public DpoLoss(double beta, double labelSmoothing, Device device) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("DPO beta = " + beta + " must be a positive finite number (TRL's"
                    + " default is 0.1; larger keeps the policy closer to the reference)");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("DPO labelSmoothing = " + labelSmoothing + " must be in [0, 0.5): it is"
                    + " the probability that a pair's preference is wrong (0 = trust every label)");
        }
        this.beta = beta;
        this.labelSmoothing = labelSmoothing;
        this.manager = NDManager.newBaseManager(device);
        this.betaT = manager.create((float) beta);
        this.keepT = manager.create((float) (1 - labelSmoothing));
        this.smoothT = manager.create((float) labelSmoothing);
    }

    /**
     * @param policyChosen (B,) π_c, with gradient
     * @param policyRejected (B,) π_r, with gradient
     * @param referenceChosen (B,) ref_c, no gradient
     * @param referenceRejected (B,) ref_r, no gradient
     */
    public Output compute(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen,
                          NDArray referenceRejected) {
        if (!policyChosen.getShape().equals(referenceChosen.getShape())
                || !policyRejected.getShape().equals(referenceRejected.getShape())
                || !policyChosen.getShape().equals(policyRejected.getShape())) {
            throw new IllegalArgumentException("DPO needs four (B,) log-prob vectors of one shape; got policy "
                    + policyChosen.getShape() + "/" + policyRejected.getShape() + ", reference "
                    + referenceChosen.getShape() + "/" + referenceRejected.getShape());
        }
        NDArray chosenRatio = policyChosen.sub(referenceChosen);                          // (B,) π_c − ref_c
        NDArray rejectedRatio = policyRejected.sub(referenceRejected);                    // (B,) π_r − ref_r
        NDArray logits = chosenRatio.sub(rejectedRatio).mul(betaT);                       // (B,) β·h
        NDArray losses = logSigmoid(logits).mul(keepT).neg();                             // (B,) −(1−ε)·log σ(βh)
        if (labelSmoothing > 0) {
            losses = losses.sub(logSigmoid(logits.neg()).mul(smoothT));                   // (B,) − ε·log σ(−βh)
        }
        NDArray chosenRewards = chosenRatio.stopGradient().mul(betaT);                     // (B,)
        NDArray rejectedRewards = rejectedRatio.stopGradient().mul(betaT);                 // (B,)
        return new Output(losses, chosenRewards, rejectedRewards);
    }

    /** log σ(x) = −softplus(−x). */
    static NDArray logSigmoid(NDArray x) {
        return x.neg().getNDArrayInternal().softPlus().neg();
    }

    /**
     * The step loss of a micro-batch: {@code Σ_i loss_i / pairs}, where {@code pairs} counts every pair of the
     * optimizer step (all micro-batches), so that the micro-batch parts add up to the mean over the step.
     *
     * @param constants owner of the 1/pairs tensor; must stay open until backward has run
     */
    public NDArray stepLoss(Output output, long pairs, NDManager constants) {
        NDArray inverse = constants.create((float) (1.0 / pairs)).toDevice(output.losses().getDevice(), false);
        inverse.attach(constants);
        return output.losses().sum().mul(inverse);                                        // ()
    }

    public double beta() {
        return beta;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public void close() {
        manager.close();
    }
}
