package io.tuneforge.registry.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.registry.persistence.DatasetVersionEntity;

import java.time.Instant;
import java.util.Map;

/**
 * One immutable dataset version.
 *
 * @param format      instruction, conversation or preference
 * @param counts      records per file: input, train, eval, rejected
 * @param manifestUri s3:// URI of manifest.json (counts, statistics, digests, settings)
 * @param source      upload, import or augmentation
 * @param parent      the version it was derived from; null for an original
 * @param eventId     the DatasetPrepared event that announced it
 * @param createdAt   when it was prepared
 */
public record DatasetVersionView(String datasetId, int version, String format, Map<String, Long> counts,
                                 String manifestUri, String trainUri, String evalUri, String rejectedUri,
                                 String source, DatasetVersionRef parent, String eventId, Instant createdAt) {

    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };

    public static DatasetVersionView from(DatasetVersionEntity v) {
        DatasetVersionRef parent = v.parentDatasetId == null || v.parentVersion == null
                ? null : new DatasetVersionRef(v.parentDatasetId, v.parentVersion);
        return new DatasetVersionView(v.datasetId, v.version, v.format, JsonColumns.read(v.counts, COUNTS),
                v.manifestUri, v.trainUri, v.evalUri, v.rejectedUri, v.source, parent, v.eventId, v.createdAt);
    }
}
