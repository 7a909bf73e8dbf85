package io.tuneforge.contracts.dataset;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.FieldError;

import java.util.List;

/** A dataset import produced no version (empty file, unknown format, unreadable source); nothing was half-written. */
public record DatasetRejected(int schemaVersion, String datasetId, String sourceUri, String reason,
                              List<FieldError> errors) implements EventPayload {

    @Override
    public String aggregateId() {
        return datasetId;
    }
}
