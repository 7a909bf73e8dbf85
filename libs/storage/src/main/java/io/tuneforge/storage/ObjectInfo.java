package io.tuneforge.storage;

import java.time.Instant;

/**
 * What the store knows about one object.
 *
 * @param key          the object key, or for a "directory" of a non-recursive listing its prefix
 *                     ending in {@code /}
 * @param size         bytes; 0 for a prefix
 * @param sha256       lower-case hex digest recorded at put time (user metadata {@code sha256});
 *                     null for objects written by other tools, for prefixes, and in listings
 *                     (S3 ListObjects does not return user metadata: use {@code stat})
 * @param etag         the server's entity tag without quotes; null for prefixes
 * @param lastModified null for prefixes
 * @param contentType  null in listings and for prefixes
 */
public record ObjectInfo(String key, long size, String sha256, String etag, Instant lastModified, String contentType) {

    /** A common prefix of a non-recursive listing rather than an object. */
    public boolean isPrefix() {
        return key.endsWith("/");
    }
}
