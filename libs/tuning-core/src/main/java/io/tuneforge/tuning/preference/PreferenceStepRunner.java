package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.GradMode;
import io.tuneforge.tuning.train.GradientClipper;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.TrainableParameters;
import io.tuneforge.tuning.train.TrainingDivergedException;

import java.util.List;
import java.util.Map;

/**
 * One optimizer step of preference tuning over a few micro-batches of pairs (gradient
 * accumulation) — the preference counterpart of {@code train.StepRunner}, built from the same
 * pieces ({@link AdamW}, {@link LrSchedule}, {@link GradientClipper}, {@link TrainableParameters}):
 *
 * <pre>
 * 0) totals of the step: pairs P and chosen target tokens N_c (from the examples, before any forward)
 * 1) per micro-batch, in its own sub-manager:
 *    collate 2B rows → (DPO) reference log-probs, no grad → policy forward → objective's share of the
 *    step loss (already divided by P / N_c) → backward (gradients accumulate in .grad)
 * 2) loss = Σ shares;  NaN/Inf → {@link TrainingDivergedException}, nothing applied
 * 3) global-norm clipping; the pre-clip norm is reported
 * 4) AdamW at lr = schedule(step index); masters → model; gradients zeroed
 * </pre>
 *
 * <p>Memory: every array of a step lives in a sub-manager of this runner's manager, closed before
 * {@link #run} returns.
 */
public final class PreferenceStepRunner implements AutoCloseable {

    private final LlamaModel model;
    private final TrainableParameters params;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final PreferenceObjective objective;
    private final ReferencePolicy reference;
    private final PreferenceCollator collator;
    private final NDManager root;

    /**
     * The pairs of one micro-batch.
     *
     * @param pairs the examples, in row order
     * @param indices their dataset indices (what precomputed reference log-probs are looked up by)
     */
    public record Micro(List<PreferenceExample> pairs, int[] indices) {
    }

    /**
     * What a step did.
     *
     * @param loss the step's loss (DPO: mean over pairs; ORPO: NLL − λ·mean log σ)
     * @param gradNorm global norm before clipping
     * @param learningRate the rate used
     * @param tokens non-padding tokens read (both answers of every pair)
     * @param targetTokens response tokens (both answers)
     * @param metrics TRL-named metrics of the step ({@link PreferenceMetrics})
     */
    public record Outcome(double loss, double gradNorm, double learningRate, long tokens, long targetTokens,
                          Map<String, Double> metrics) {
    }

    /**
     * @param params the trained arrays (LoRA matrices, or every weight)
     * @param maxGradNorm clipping bound; 0 measures only
     * @param reference DPO's reference, or null for ORPO
     */
    public PreferenceStepRunner(LlamaModel model, TrainableParameters params, AdamW optimizer, LrSchedule schedule,
                                double maxGradNorm, PreferenceObjective objective, ReferencePolicy reference,
                                PreferenceCollator collator) {
        if (objective.method().needsReference() && reference == null) {
            throw new IllegalArgumentException("DPO needs a reference policy (the adapter switched off, a frozen copy,"
                    + " or precomputed log-probs)");
        }
        this.model = model;
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        this.objective = objective;
        this.reference = reference;
        this.collator = collator;
        this.root = NDManager.newBaseManager(model.device().device());
    }

    /**
     * Runs optimizer step {@code stepIndex} (0-based: steps already taken).
     *
     * @throws TrainingDivergedException when the loss or the gradient norm is not finite (weights untouched)
     */
    public Outcome run(long stepIndex, List<Micro> micros) {
        if (micros.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one micro-batch of pairs");
        }
        double lr = schedule.lr(stepIndex);
        PreferenceObjective.StepTotals totals = PreferenceObjective.StepTotals.of(                // 0)
                micros.stream().map(Micro::pairs).toList());
        PreferenceMetrics metrics = objective.newMetrics();
        long tokens = 0;
        long targets = 0;
        try (NDManager step = root.newSubManager()) {
            for (Micro micro : micros) {                                                          // 1)
                try (NDManager m = step.newSubManager(); Batch batch = collator.collate(micro.pairs(), m)) {
                    tokens += batch.tokens();
                    targets += batch.targetTokens();
                    ReferencePolicy.LogProbs ref = reference == null ? null
                            : reference.logProbs(batch, micro.indices(), m);
                    try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
                        NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null); // (2B, T, V)
                        NDArray share = objective.stepLoss(logits, batch, ref, totals, metrics, m);   // ()
                        collector.backward(share);
                    }
                }
            }
            double loss = metrics.loss();                                                        // 2)
            if (!Double.isFinite(loss)) {
                params.zeroGradients();
                throw new TrainingDivergedException(stepIndex + 1, loss, Double.NaN, lr);
            }
            Map<String, NDArray> grads = params.gradients(step);
            double gradNorm = GradientClipper.globalNorm(grads.values(), step);                   // 3)
            if (!Double.isFinite(gradNorm)) {
                params.zeroGradients();
                throw new TrainingDivergedException(stepIndex + 1, loss, gradNorm, lr);
            }
            optimizer.step(params.master(), grads, lr,                                            // 4), clipped
                    GradientClipper.coefficient(gradNorm, maxGradNorm));                          //   as read
            params.syncToModel();
            params.zeroGradients();
            return new Outcome(loss, gradNorm, lr, tokens, targets, metrics.toMap());
        }
    }

    /**
     * The objective's metrics over {@code micros} taken as one batch, without gradients (evaluation; dropout is the
     * caller's to switch off).
     *
     * @param evalReference the reference for these pairs (DPO; precomputed log-probs are per dataset), or null
     */
    public PreferenceMetrics evaluate(List<Micro> micros, ReferencePolicy evalReference) {
        if (objective.method().needsReference() && evalReference == null) {
            throw new IllegalArgumentException("evaluating DPO needs a reference policy for the eval pairs");
        }
        PreferenceObjective.StepTotals totals = PreferenceObjective.StepTotals.of(
                micros.stream().map(Micro::pairs).toList());
        PreferenceMetrics metrics = objective.newMetrics();
        try (NDManager scope = root.newSubManager()) {
            for (Micro micro : micros) {
                try (NDManager m = scope.newSubManager(); Batch batch = collator.collate(micro.pairs(), m)) {
                    ReferencePolicy.LogProbs ref = evalReference == null ? null
                            : evalReference.logProbs(batch, micro.indices(), m);
                    try (GradMode off = GradMode.disabled()) {
                        NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null);
                        objective.stepLoss(logits, batch, ref, totals, metrics, m);
                    }
                }
            }
        }
        return metrics;
    }

    @Override
    public void close() {
        root.close();
    }
}
