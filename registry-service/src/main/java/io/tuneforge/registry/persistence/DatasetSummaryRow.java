package io.tuneforge.registry.persistence;

import java.time.Instant;

/**
 * One dataset, summarised over its versions.
 *
 * @param latestVersion highest version number
 * @param versionCount  how many versions are registered
 * @param updatedAt     when the newest version was registered
 */
public record DatasetSummaryRow(String datasetId, int latestVersion, long versionCount, Instant updatedAt) {
}
