package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** A checkpoint (adapter or weights, optimizer, scheduler, RNG and data position) is safely in the store. */
public record TrainingCheckpointed(int schemaVersion, @Required String runId, @Required long step, @Required ArtifactRef checkpoint)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
