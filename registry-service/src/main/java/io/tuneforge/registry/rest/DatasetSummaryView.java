package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.DatasetSummaryRow;

import java.time.Instant;

/**
 * A dataset in a list.
 *
 * @param latestVersion highest registered version
 * @param versionCount  registered versions
 * @param updatedAt     when the newest version was prepared
 */
public record DatasetSummaryView(String datasetId, int latestVersion, long versionCount, Instant updatedAt) {

    public static DatasetSummaryView from(DatasetSummaryRow row) {
        return new DatasetSummaryView(row.datasetId(), row.latestVersion(), row.versionCount(), row.updatedAt());
    }
}
