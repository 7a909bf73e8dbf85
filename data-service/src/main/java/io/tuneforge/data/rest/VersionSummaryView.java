package io.tuneforge.data.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One version of {@code GET /api/datasets/{name}/versions}, from its manifest.
 *
 * @param version     the number
 * @param format      format of train/eval
 * @param counts      input, train, eval, rejected
 * @param createdAt   when it was made
 * @param parent      the version it derives from, or null
 * @param input       the input's name, bytes and sha256
 * @param manifestUri {@code s3://} URI of its manifest
 */
@Schema(name = "VersionSummary")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionSummaryView(int version, String format, JsonNode counts, String createdAt, JsonNode parent,
                                 JsonNode input, String manifestUri) {
}
