package io.tuneforge.data.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A presigned URL for one file of a version ({@code GET .../download?file=...&redirect=false}).
 *
 * @param file      the file name
 * @param url       GET it without credentials until {@code expiresAt}
 * @param expiresAt when the URL stops working
 * @param sha256    hex SHA-256 of the file, to check the download
 * @param sizeBytes its size
 */
@Schema(name = "Download")
public record DownloadView(String file, String url, Instant expiresAt, String sha256, long sizeBytes) {
}
