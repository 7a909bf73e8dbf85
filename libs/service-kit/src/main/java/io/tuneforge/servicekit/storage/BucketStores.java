package io.tuneforge.servicekit.storage;

import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects named by {@code s3://} URIs in events (a source file, a base model, an adapter) may sit in another bucket
 * of the same store than the service's own: this gives an {@link ArtifactStore} per bucket, same endpoint and
 * credentials, created once.
 */
@ApplicationScoped
public class BucketStores {

    private final ArtifactStoreProducer producer;
    private final Map<String, ArtifactStore> others = new ConcurrentHashMap<>();

    public BucketStores(ArtifactStoreProducer producer) {
        this.producer = producer;
    }

    /** The store of {@code bucket}: the service's own store when it is the configured bucket. */
    public ArtifactStore forBucket(String bucket) {
        ArtifactStore own = producer.store();
        if (own.bucket().equals(bucket)) {
            return own;
        }
        return others.computeIfAbsent(bucket, b -> new ArtifactStore(own.settings().withBucket(b)));
    }

    /** Whether the object {@code uri} names exists (for a prefix URI, use {@link #resolve} first). */
    public boolean exists(S3Uri uri) {
        return forBucket(uri.bucket()).exists(uri.key());
    }

    /**
     * {@code uri} as a prefix ({@code /} appended when missing) resolved against {@code relative}:
     * {@code s3://b/models/x} + {@code config.json} → {@code s3://b/models/x/config.json}.
     */
    public static S3Uri resolve(String uri, String relative) {
        S3Uri prefix = S3Uri.parse(uri.endsWith("/") ? uri : uri + "/");
        return prefix.resolve(relative);
    }
}
