package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/**
 * The request passed validation and waits for a trainer replica.
 *
 * @param request the request with run id and defaults filled in, as it will run
 */
public record TrainingQueued(int schemaVersion, @Required String runId, @Required TrainingRequest request) implements EventPayload {

    public static TrainingQueued of(TrainingRequest request) {
        return new TrainingQueued(1, request.runId(), request);
    }

    @Override
    public String aggregateId() {
        return runId;
    }
}
