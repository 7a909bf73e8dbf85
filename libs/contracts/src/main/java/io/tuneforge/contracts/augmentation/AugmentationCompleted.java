package io.tuneforge.contracts.augmentation;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.Map;

/**
 * The augmented version is in the store.
 *
 * @param counts generated, accepted, rejected (per reason), calls, cached calls, prompt/completion tokens
 */
public record AugmentationCompleted(int schemaVersion, @Required String jobId, @Required DatasetVersionRef source, @Required DatasetVersionRef result,
                                    Map<String, Long> counts) implements EventPayload {

    @Override
    public String aggregateId() {
        return jobId;
    }
}
