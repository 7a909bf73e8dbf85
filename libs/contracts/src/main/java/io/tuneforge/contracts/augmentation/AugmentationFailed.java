package io.tuneforge.contracts.augmentation;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** The augmentation job stopped without writing a version. */
public record AugmentationFailed(int schemaVersion, @Required String jobId, DatasetVersionRef source, String errorCode,
                                 @Required String message) implements EventPayload {

    @Override
    public String aggregateId() {
        return jobId;
    }
}
