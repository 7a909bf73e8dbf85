package io.tuneforge.registry.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model version (MLflow's ModelVersion).
 *
 * @param status        PENDING_REGISTRATION, FAILED_REGISTRATION or READY
 * @param statusMessage why registration failed, or what it waits for
 * @param sourceUri     the adapter (or full model) directory
 * @param sourceKind    adapter or model
 * @param runId         the run that produced it
 * @param aliases       the aliases pointing at it
 * @param metrics       final training metrics (trainLoss, evalLoss, ...)
 * @param tags          its tags
 * @param evaluation    the latest evaluation of its run, if any
 */
public record ModelVersionView(String modelName, int version, ModelVersionStatus status, String statusMessage,
                               String sourceUri, String sourceKind, String baseModel, String runId,
                               List<String> aliases, Map<String, Double> metrics, Map<String, String> tags,
                               EvaluationView evaluation, Instant createdAt, Instant updatedAt) {

    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };

    public static ModelVersionView from(ModelVersionEntity v, List<String> aliases, Map<String, String> tags,
                                        EvaluationView evaluation) {
        return new ModelVersionView(v.modelName, v.version, v.status, v.statusMessage, v.sourceUri, v.sourceKind,
                v.baseModel, v.runId, aliases, new TreeMap<>(JsonColumns.read(v.metrics, METRICS)), tags, evaluation,
                v.createdAt, v.updatedAt);
    }
}
