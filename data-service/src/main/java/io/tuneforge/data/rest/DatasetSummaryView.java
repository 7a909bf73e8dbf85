package io.tuneforge.data.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One dataset of {@code GET /api/datasets}.
 *
 * @param datasetId     the name
 * @param latestVersion the highest published version
 * @param versions      how many versions are published
 * @param format        the latest version's format
 * @param counts        the latest version's input/train/eval/rejected counts
 * @param createdAt     when the latest version was made
 */
@Schema(name = "DatasetSummary")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSummaryView(String datasetId, int latestVersion, int versions, String format, JsonNode counts,
                                 String createdAt) {
}
