package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;

/** Command: stop the run after its current step, keep the last checkpoint. */
public record TrainingCancelRequested(int schemaVersion, String runId, String reason) implements EventPayload {

    public static TrainingCancelRequested of(String runId, String reason) {
        return new TrainingCancelRequested(1, runId, reason);
    }

    @Override
    public String aggregateId() {
        return runId;
    }
}
