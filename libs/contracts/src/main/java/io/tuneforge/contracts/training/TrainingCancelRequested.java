package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** Command: stop the run after its current step, keep the last checkpoint. */
public record TrainingCancelRequested(int schemaVersion, @Required String runId, String reason) implements EventPayload {

    public static TrainingCancelRequested of(String runId, String reason) {
        return new TrainingCancelRequested(1, runId, reason);
    }

    @Override
    public String aggregateId() {
        return runId;
    }
}
