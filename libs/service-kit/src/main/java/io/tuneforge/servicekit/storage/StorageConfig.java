package io.tuneforge.servicekit.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tuneforge.storage.StorageSettings;

import java.util.Optional;

/**
 * {@code tuneforge.storage.*}: the object store every service shares. Give them at start, e.g.
 * {@code -Dtuneforge.storage.endpoint=http://127.0.0.1:9000 -Dtuneforge.storage.access-key=...} or the environment
 * variables {@code TUNEFORGE_STORAGE_ENDPOINT}, {@code TUNEFORGE_STORAGE_ACCESS_KEY}, ... The credentials have no
 * default: a service without them starts, and its readiness check says which key is missing.
 */
@ConfigMapping(prefix = "tuneforge.storage")
public interface StorageConfig {

    /** {@code http(s)://host[:port]}, path-style (MinIO, S3Proxy, AWS regional endpoint). */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    Optional<String> accessKey();

    Optional<String> secretKey();

    @WithDefault(StorageSettings.DEFAULT_REGION)
    String region();

    @WithDefault(StorageSettings.DEFAULT_BUCKET)
    String bucket();

    /** {@code tuneforge.storage.health.*}: the object-store readiness check. */
    Health health();

    /**
     * Settings of {@code ObjectStoreHealthCheck}. {@code enabled} is read at build time by {@code @IfBuildProperty};
     * it is declared here so that {@code tuneforge.storage.health.enabled=false} is a known key of this mapping
     * (an undeclared key under {@code tuneforge.storage} fails the start with "does not map to any root").
     */
    interface Health {

        /** Whether the readiness check "Object store" exists; {@code false} for a service without an object store. */
        @WithDefault("true")
        boolean enabled();
    }

    /**
     * The settings, checked.
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    default StorageSettings toSettings() {
        return new StorageSettings(endpoint(), accessKey().orElse(null), secretKey().orElse(null), region(), bucket());
    }
}
