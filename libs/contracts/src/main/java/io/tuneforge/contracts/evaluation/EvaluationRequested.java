package io.tuneforge.contracts.evaluation;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.List;

/**
 * Command: evaluate a base model against base + adapter on a dataset's eval split.
 *
 * @param runId      the training run that produced the adapter, or null for an ad-hoc evaluation
 * @param baseModel  {@code s3://.../models/name/}
 * @param adapterUri {@code s3://.../runs/{runId}/adapter/}, or null to evaluate the base model alone
 * @param metrics    metric names (see {@link io.tuneforge.contracts.training.EvaluationSettings#KNOWN_METRICS})
 */
public record EvaluationRequested(int schemaVersion, @Required String evalId, String runId, @Required String baseModel, String adapterUri,
                                  @Required DatasetVersionRef dataset, List<String> metrics, Integer maxSamples,
                                  Integer maxNewTokens) implements EventPayload {

    @Override
    public String aggregateId() {
        return evalId;
    }
}
