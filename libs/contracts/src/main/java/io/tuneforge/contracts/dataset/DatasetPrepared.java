package io.tuneforge.contracts.dataset;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.Map;

/**
 * A dataset version is complete in the store (its manifest was written last).
 *
 * @param format   record shape of train/eval
 * @param train    train.jsonl
 * @param eval     eval.jsonl (may hold zero records)
 * @param rejected rejected.jsonl, every dropped input line with its reasons
 * @param manifest manifest.json with counts, statistics, digests and settings
 * @param counts   records per file: input, train, eval, rejected
 * @param parent   the version this one was derived from (augmentation), or null
 * @param source   {@code upload}, {@code import} or {@code augmentation}
 */
public record DatasetPrepared(int schemaVersion, @Required String datasetId, @Required int version, @Required DatasetFormat format,
                              @Required ArtifactRef train, ArtifactRef eval, ArtifactRef rejected, @Required ArtifactRef manifest,
                              Map<String, Long> counts, DatasetVersionRef parent, String source)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return datasetId;
    }
}
