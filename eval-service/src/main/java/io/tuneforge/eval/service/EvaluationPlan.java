package io.tuneforge.eval.service;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingRequest;

import java.util.List;

/**
 * One evaluation to run, whether asked for ({@code EvaluationRequested}) or implied by a finished run
 * ({@code TrainingCompleted}): the base model, the tuned model (an adapter over the base, or a full model), the
 * dataset version whose eval split is generated on.
 *
 * @param adapterUri     PEFT adapter prefix, or null
 * @param tunedModelUri  full tuned model prefix (full fine-tuning), or null
 * @param dataset        null when the run trained on local files (nothing registered to evaluate on)
 * @param metrics        null for the service's defaults
 * @param maxSamples     null for the service's default
 * @param maxNewTokens   null for the service's default
 */
public record EvaluationPlan(String evalId, String runId, String baseModel, String adapterUri, String tunedModelUri,
                             DatasetVersionRef dataset, List<String> metrics, Integer maxSamples,
                             Integer maxNewTokens) {

    /** The evaluation id of the automatic evaluation of a run: one per run, so a redelivered event names the same. */
    public static String evalIdOfRun(String runId) {
        return "eval-" + runId;
    }

    public static EvaluationPlan of(EvaluationRequested r) {
        return new EvaluationPlan(r.evalId(), r.runId(), r.baseModel(), r.adapterUri(), null, r.dataset(),
                r.metrics(), r.maxSamples(), r.maxNewTokens());
    }

    public static EvaluationPlan of(TrainingCompleted c) {
        TrainingRequest request = c.request();
        DatasetVersionRef dataset = request.dataset() != null && request.dataset().isRegistered()
                && request.dataset().version() != null
                ? new DatasetVersionRef(request.dataset().id(), request.dataset().version()) : null;
        return new EvaluationPlan(evalIdOfRun(c.runId()), c.runId(), request.baseModel(),
                c.adapter() == null ? null : c.adapter().uri(), tunedModelOf(c), dataset,
                request.evaluation() == null ? null : request.evaluation().metrics(),
                request.evaluation() == null ? null : request.evaluation().maxSamples(), null);
    }

    /**
     * The full tuned model to load, only when the run has no adapter: a LoRA run that also exported a merged model
     * names it in {@code model}, and loading that beside the base + adapter would hold a second full copy in memory
     * for the same numbers.
     */
    static String tunedModelOf(TrainingCompleted c) {
        return c.adapter() == null && c.model() != null ? c.model().uri() : null;
    }

    /** Whether there is a tuned side to compare with the base. */
    public boolean hasTuned() {
        return adapterUri != null || tunedModelUri != null;
    }
}
