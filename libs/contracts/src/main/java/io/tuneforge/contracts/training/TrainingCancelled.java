package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** The run stopped on request after a step; {@code lastCheckpoint} (null if none) can be resumed from. */
public record TrainingCancelled(int schemaVersion, @Required String runId, long step, ArtifactRef lastCheckpoint, String reason)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
