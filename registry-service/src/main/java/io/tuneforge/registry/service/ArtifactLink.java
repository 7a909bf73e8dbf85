package io.tuneforge.registry.service;

import java.time.Instant;

/**
 * A file of an artifact with a presigned download link.
 *
 * @param name      path below the artifact's prefix, e.g. {@code adapter_model.safetensors}
 * @param uri       {@code s3://bucket/key}
 * @param sizeBytes size in bytes
 * @param url       presigned GET URL; works without credentials until {@code expiresAt}
 * @param expiresAt when the link stops working
 */
public record ArtifactLink(String name, String uri, long sizeBytes, String url, Instant expiresAt) {
}
