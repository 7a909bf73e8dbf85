package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.data.Batch;

import java.util.List;

/**
 * The loss a preference run optimises, from a micro-batch's policy logits to its share of the step
 * loss, with the metrics it adds — DPO or ORPO behind one call, so the step loop and the evaluation
 * do not branch on the method.
 *
 * <pre>
 * logits (2B, T, V) → ResponseLogProbs → DPO: DpoLoss(π, ref)  → Σ loss_i / P
 *                                       ORPO: OrpoLoss(π)      → Σ NLL_c / N_c − λ·Σ log σ(r_i) / P
 * P = pairs in the whole step, N_c = chosen response tokens in the whole step (StepTotals)
 * </pre>
 *
 * so the parts of all micro-batches add up to the loss of the step's pairs taken as one batch, and
 * gradient accumulation needs no rescaling afterwards.
 */
public final class PreferenceObjective implements AutoCloseable {

    private final PreferenceMethod method;
    private final DpoLoss dpo;
    private final OrpoLoss orpo;

    /**
     * What the normalisers of a step count.
     *
     * @param pairs preference pairs in all micro-batches of the step
     * @param chosenTokens target tokens of their chosen sequences
     */
    public record StepTotals(long pairs, long chosenTokens) {

        /** The totals of a list of micro-batches of pairs. */
        public static StepTotals of(List<List<PreferenceExample>> microBatches) {
            long pairs = 0;
            long tokens = 0;
            for (List<PreferenceExample> micro : microBatches) {
                for (PreferenceExample e : micro) {
                    pairs++;
                    tokens += e.chosenTargets();
                }
            }
            return new StepTotals(pairs, tokens);
        }
    }

    private PreferenceObjective(PreferenceMethod method, DpoLoss dpo, OrpoLoss orpo) {
        this.method = method;
        this.dpo = dpo;
        this.orpo = orpo;
    }

    /**
     * @param beta DPO's β or ORPO's λ (the request's {@code hyperparameters.beta})
     * @param labelSmoothing DPO's ε (0 for ORPO)
     */
    public static PreferenceObjective of(PreferenceMethod method, double beta, double labelSmoothing, Device device) {
        if (method == PreferenceMethod.DPO) {
            return new PreferenceObjective(method, new DpoLoss(beta, labelSmoothing, device), null);
        }
        if (labelSmoothing != 0) {
            throw new IllegalArgumentException("labelSmoothing = " + labelSmoothing + " applies to DPO only; ORPO has no"
                    + " label smoothing (set it to 0)");
        }
        return new PreferenceObjective(method, null, new OrpoLoss(beta, device));
    }

    public PreferenceMethod method() {
        return method;
    }

    /** β (DPO) or λ (ORPO). */
    public double beta() {
        return method == PreferenceMethod.DPO ? dpo.beta() : orpo.lambda();
    }

    /** A fresh accumulator for this objective's metrics. */
    public PreferenceMetrics newMetrics() {
        return new PreferenceMetrics(method, beta());
    }

    /**
     * The micro-batch's share of the step loss (a scalar in the autograd graph of {@code logits}), its metrics added
     * to {@code metrics}.
     *
     * @param logits (2B, T, V) policy logits of a {@link PreferenceCollator} batch
     * @param reference the reference log-probs of the batch (DPO), or null (ORPO)
     * @param constants owner of the normalising tensors; must stay open until backward has run
     */
    public NDArray stepLoss(NDArray logits, Batch batch, ReferencePolicy.LogProbs reference, StepTotals totals,
                            PreferenceMetrics metrics, NDManager constants) {
        ResponseLogProbs policy = ResponseLogProbs.of(logits, batch.labels());
        if (method == PreferenceMethod.DPO) {
            if (reference == null) {
                throw new IllegalArgumentException("DPO needs the reference log-probs of the batch");
            }
            DpoLoss.Output out = dpo.compute(policy.chosen(), policy.rejected(), reference.chosen(),
                    reference.rejected());
            metrics.add(out, policy);
            return dpo.stepLoss(out, totals.pairs(), constants);
        }
        OrpoLoss.Output out = orpo.compute(policy);
        metrics.add(out);
        return orpo.stepLoss(out, totals.chosenTokens(), totals.pairs(), constants);
    }

    @Override
    public void close() {
        if (dpo != null) {
            dpo.close();
        }
        if (orpo != null) {
            orpo.close();
        }
    }
}
