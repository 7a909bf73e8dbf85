package io.tuneforge.registry.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.registry.persistence.EvaluationEntity;
import io.tuneforge.registry.persistence.ModelVersionEntity;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A base vs tuned evaluation.
 *
 * @param status       completed or failed
 * @param metrics      metric name → base, tuned and delta (tuned - base), by name
 * @param modelVersion the model version of the evaluated run, when it has one
 * @param errorMessage why a failed evaluation failed
 */
public record EvaluationView(String evalId, String runId, String status, Map<String, MetricComparison> metrics,
                             String reportUri, String samplesUri, Integer samplesEvaluated, String errorCode,
                             String errorMessage, ModelVersionRefView modelVersion, Instant createdAt) {

    private static final TypeReference<Map<String, MetricComparison>> METRICS = new TypeReference<>() {
    };

    public static EvaluationView from(EvaluationEntity e, ModelVersionEntity version) {
        Map<String, MetricComparison> metrics = e.metrics == null ? Map.of()
                : new TreeMap<>(JsonColumns.read(e.metrics, METRICS));
        return new EvaluationView(e.evalId, e.runId, e.status, metrics, e.reportUri, e.samplesUri,
                e.samplesEvaluated, e.errorCode, e.errorMessage, ModelVersionRefView.from(version), e.createdAt);
    }
}
