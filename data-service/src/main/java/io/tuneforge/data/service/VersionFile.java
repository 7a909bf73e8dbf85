package io.tuneforge.data.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One file of a published version.
 *
 * @param uri       {@code s3://bucket/datasets/{id}/v{n}/{file}}
 * @param sha256    hex SHA-256 of the bytes, as the store recorded it
 * @param sizeBytes size in bytes
 * @param records   lines in the file (= records for the JSONL files)
 */
@Schema(name = "VersionFile")
public record VersionFile(String uri, String sha256, long sizeBytes, long records) {
}
