package io.tuneforge.contracts.dataset;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.Map;

/**
 * Command: prepare a new version of dataset {@code datasetId} from an object already in the store.
 *
 * @param sourceUri {@code s3://bucket/key} of a JSONL, JSON array or CSV file (optionally gzip)
 * @param settings  pipeline settings (evalRatio, seed, dedup threshold, ...); absent = service defaults
 */
public record DatasetImportRequested(int schemaVersion, @Required String datasetId, @Required String sourceUri,
                                     Map<String, Object> settings) implements EventPayload {

    @Override
    public String aggregateId() {
        return datasetId;
    }
}
