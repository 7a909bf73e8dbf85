package io.tuneforge.contracts.evaluation;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.Map;

/**
 * Base vs tuned metrics are in; the report and the side-by-side samples are in the store.
 *
 * @param metrics metric name → base, tuned and difference
 */
public record EvaluationCompleted(int schemaVersion, @Required String evalId, String runId, ArtifactRef report,
                                  ArtifactRef samples, @Required Map<String, MetricComparison> metrics, int samplesEvaluated)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return evalId;
    }
}
