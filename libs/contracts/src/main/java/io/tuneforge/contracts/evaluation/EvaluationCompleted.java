package io.tuneforge.contracts.evaluation;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;

import java.util.Map;

/**
 * Base vs tuned metrics are in; the report and the side-by-side samples are in the store.
 *
 * @param metrics metric name → base, tuned and difference
 */
public record EvaluationCompleted(int schemaVersion, String evalId, String runId, ArtifactRef report,
                                  ArtifactRef samples, Map<String, MetricComparison> metrics, int samplesEvaluated)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return evalId;
    }
}
