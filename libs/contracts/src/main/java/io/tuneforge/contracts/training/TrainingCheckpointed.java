package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;

/** A checkpoint (adapter or weights, optimizer, scheduler, RNG and data position) is safely in the store. */
public record TrainingCheckpointed(int schemaVersion, String runId, long step, ArtifactRef checkpoint)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
