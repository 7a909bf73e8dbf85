package io.tuneforge.registry.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventEntity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run with everything the registry knows of it.
 *
 * @param error        why it failed; null unless status is failed
 * @param request      the training request as it ran (defaults filled in), or as received for a run refused before
 *                     queueing; null when no event carried it yet
 * @param step         highest optimizer step reported
 * @param progress     share of planned steps done, 0..1
 * @param tags         its tags (submitted-by, ...)
 * @param modelVersion the model version it produced, once registered
 * @param evaluations  its evaluations, newest first
 * @param events       the timeline, in the order the facts happened
 */
public record RunDetailView(String runId, TrainingStatus status, String modelName, String baseModel,
                            DatasetVersionRef dataset, RunErrorView error, JsonNode request, Long step,
                            Long totalSteps, Double progress, Double etaSeconds, Map<String, String> tags,
                            ModelVersionRefView modelVersion, List<EvaluationView> evaluations, Instant createdAt,
                            Instant updatedAt, List<RunEventView> events) {

    private static final TypeReference<List<FieldError>> FIELD_ERRORS = new TypeReference<>() {
    };

    public static RunDetailView from(RunEntity run, List<RunEventEntity> timeline, Map<String, String> tags,
                                     ModelVersionRefView modelVersion, List<EvaluationView> evaluations) {
        RunErrorView error = run.status == TrainingStatus.FAILED
                ? new RunErrorView(run.errorCode, run.errorMessage,
                run.errorFields == null ? List.of() : JsonColumns.read(run.errorFields, FIELD_ERRORS))
                : null;
        return new RunDetailView(run.runId, run.status, run.modelName, run.baseModel, RunSummaryView.dataset(run),
                error, JsonColumns.tree(run.request), run.step, run.totalSteps, run.progress, run.etaSeconds, tags,
                modelVersion, evaluations, run.createdAt, run.updatedAt,
                timeline.stream().map(RunEventView::from).toList());
    }
}
