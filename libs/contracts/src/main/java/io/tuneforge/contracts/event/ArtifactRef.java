package io.tuneforge.contracts.event;

/**
 * A pointer to an object in the store. Large data never travels in events: only its URI, digest and size.
 *
 * @param uri       {@code s3://bucket/key} (or {@code s3://bucket/prefix/} for a directory-shaped artifact)
 * @param sha256    hex digest of the object's bytes; null for prefixes
 * @param sizeBytes size in bytes; -1 when unknown (prefixes)
 */
public record ArtifactRef(@Required String uri, String sha256, long sizeBytes) {

    public static ArtifactRef prefix(String uri) {
        return new ArtifactRef(uri, null, -1);
    }
}
