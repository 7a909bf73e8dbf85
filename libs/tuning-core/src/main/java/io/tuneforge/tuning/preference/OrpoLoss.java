package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Odds Ratio Preference Optimization (Hong et al., 2024, "ORPO: Monolithic Preference Optimization
 * without Reference Model", eqs. 6–7), as TRL's {@code ORPOTrainer} computes it — SFT and preference
 * alignment in one loss, no reference model:
 *
 * <pre>
 * m_c, m_r    mean log-prob per response token of the chosen / rejected answer (log p, length-normalised) (B,)
 * log odds(m) = m − log(1 − exp(m))                       (TRL: m − log1p(−exp(m)))
 * r_i         = log odds(m_c) − log odds(m_r)                                                         (B,)
 * ratio_i     = log σ(r_i)                                                                            (B,)
 * NLL         = Σ chosen response-token NLL / #chosen response tokens           (SFT loss on chosen only)
 * L           = NLL − λ · mean_i ratio_i                    λ = hyperparameters.beta (TRL's default 0.1)
 * rewards     = λ·m_c, λ·m_r  (logged, no gradient)
 * </pre>
 *
 * <p>Precision: {@code log(1 − exp(m))} computed as written loses every digit when {@code m → 0} (an
 * answer the model is sure of), and DJL has neither {@code log1p} nor {@code expm1}, and its
 * {@code toType} cuts the autograd graph (so no float64 detour). It uses the exact identity
 * <pre>
 * 1 − eᵐ = −expm1(m) = −2·tanh(m/2) / (1 − tanh(m/2))
 * log(1 − eᵐ) = log(−2·tanh(m/2)) − log(1 − tanh(m/2))
 * </pre>
 * which keeps full f32 relative precision as m → 0 (tanh(m/2) ≈ m/2) and is within f32 rounding for
 * very negative m. {@code m} is capped at {@code −1e−9} so that a probability of exactly 1 gives a large
 * finite log-odds instead of ∞ (and a NaN gradient). λ and the other constants are tensors owned by
 * this object (djl-verified.md, trap 1).
 */
public final class OrpoLoss implements AutoCloseable {

    /** Largest mean log-prob the odds use: p = 1 − 1e−9. */
    static final double MAX_MEAN_LOGP = -1e-9;

    private final NDManager manager;
    private final double lambda;
    private final NDArray one;     // () 1
    private final NDArray half;    // () 0.5
    private final NDArray minusTwo; // () −2
    private final NDArray cap;     // () MAX_MEAN_LOGP
    private final NDArray lambdaT; // () λ

    /**
     * The per-pair results and the chosen answers' NLL.
     *
     * @param nllSum () Σ NLL over the chosen response tokens, with gradient
     * @param nllCount () chosen response tokens, f32
     * @param ratios (B,) log σ(r_i), with gradient
     * @param logOdds (B,) r_i, detached
     * @param chosenMean (B,) m_c, detached
     * @param rejectedMean (B,) m_r, detached
     * @param chosenRewards (B,) λ·m_c, detached
     * @param rejectedRewards (B,) λ·m_r, detached
     */
    public record Output(NDArray nllSum, NDArray nllCount, NDArray ratios, NDArray logOdds, NDArray chosenMean,
                         NDArray rejectedMean, NDArray chosenRewards, NDArray rejectedRewards) {
    }

    /**
     * @param lambda λ &gt; 0, the weight of the odds-ratio term (the request's {@code hyperparameters.beta})
     * @param device where the log-probs live
     */
    public OrpoLoss(double lambda, Device device) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("ORPO lambda (hyperparameters.beta) = " + lambda + " must be a positive"
                    + " finite number (the paper and TRL use 0.1)");
        }
        this.lambda = lambda;
        this.manager = NDManager.newBaseManager(device);
        this.one = manager.create(1f);
        this.half = manager.create(0.5f);
        this.minusTwo = manager.create(-2f);
        this.cap = manager.create((float) MAX_MEAN_LOGP);
        this.lambdaT = manager.create((float) lambda);
    }

    /** The loss terms of a preference batch's response log-probs. */
    public Output compute(ResponseLogProbs logps) {
        NDArray chosenMean = logps.chosenMean();                                         // (B,) m_c
        NDArray rejectedMean = logps.rejectedMean();                                     // (B,) m_r
        NDArray logOdds = chosenMean.sub(rejectedMean)
                .sub(log1mExp(chosenMean).sub(log1mExp(rejectedMean)));                  // (B,) r_i
        NDArray ratios = DpoLoss.logSigmoid(logOdds);                                    // (B,) log σ(r_i)
        NDArray nllSum = logps.chosen().sum().neg();                                     // ()
        NDArray nllCount = logps.chosenCounts().sum();                                   // ()
        NDArray mc = chosenMean.stopGradient();
        NDArray mr = rejectedMean.stopGradient();
        return new Output(nllSum, nllCount, ratios, logOdds.stopGradient(), mc, mr, mc.mul(lambdaT), mr.mul(lambdaT));
    }

    /**
     * log(1 − exp(m)) for m &lt; 0 as log(−2·tanh(m/2)) − log(1 − tanh(m/2)), m capped at {@link #MAX_MEAN_LOGP}.
     * Activations come first in every op, so results belong to the caller's (step) manager.
     */
    private NDArray log1mExp(NDArray m) {
        NDArray t = m.minimum(cap).mul(half).tanh();                                     // (B,) tanh(m/2) < 0
        return t.mul(minusTwo).log().sub(t.neg().add(one).log());                        // (B,)
    }

    /**
     * The step loss of a micro-batch: {@code nllSum / chosenTokens − λ · Σ_i ratio_i / pairs}, where both counts
     * cover the whole optimizer step, so the micro-batch parts add up to TRL's loss over the step's pairs.
     *
     * @param constants owner of the normalising tensors; must stay open until backward has run
     */
    public NDArray stepLoss(Output output, long chosenTokens, long pairs, NDManager constants) {
        Device device = output.ratios().getDevice();
        NDArray perToken = constants.create((float) (1.0 / chosenTokens)).toDevice(device, false);
        perToken.attach(constants);
        NDArray perPair = constants.create((float) (lambda / pairs)).toDevice(device, false);
        perPair.attach(constants);
        return output.nllSum().mul(perToken).sub(output.ratios().sum().mul(perPair));     // ()
    }

    public double lambda() {
        return lambda;
    }

    @Override
    public void close() {
        manager.close();
    }
}
