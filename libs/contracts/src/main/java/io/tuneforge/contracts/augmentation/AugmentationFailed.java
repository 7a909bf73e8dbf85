package io.tuneforge.contracts.augmentation;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.EventPayload;

/** The augmentation job stopped without writing a version. */
public record AugmentationFailed(int schemaVersion, String jobId, DatasetVersionRef source, String errorCode,
                                 String message) implements EventPayload {

    @Override
    public String aggregateId() {
        return jobId;
    }
}
