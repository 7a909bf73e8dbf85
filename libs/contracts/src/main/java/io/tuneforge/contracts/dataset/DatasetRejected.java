package io.tuneforge.contracts.dataset;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.event.Required;

import java.util.List;

/** A dataset import produced no version (empty file, unknown format, unreadable source); nothing was half-written. */
public record DatasetRejected(int schemaVersion, @Required String datasetId, String sourceUri, @Required String reason,
                              List<FieldError> errors) implements EventPayload {

    @Override
    public String aggregateId() {
        return datasetId;
    }
}
