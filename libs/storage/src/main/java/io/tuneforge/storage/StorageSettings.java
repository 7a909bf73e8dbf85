package io.tuneforge.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the object store is and which bucket to use. {@link #toString()} never prints the secret.
 *
 * <p>Configuration keys (as set by the localstack test resources and the services' config):
 * {@value #ENDPOINT}, {@value #ACCESS_KEY}, {@value #SECRET_KEY}, {@value #REGION} (default
 * {@value #DEFAULT_REGION}), {@value #BUCKET} (default {@value #DEFAULT_BUCKET}).
 *
 * @param endpoint  {@code http(s)://host[:port]}, path-style (MinIO, S3Proxy, or an AWS regional endpoint)
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param region    signing region; null means {@value #DEFAULT_REGION}
 * @param bucket    bucket name; null means {@value #DEFAULT_BUCKET}
 */
public record StorageSettings(String endpoint, String accessKey, String secretKey, String region, String bucket) {

    public static final String ENDPOINT = "tuneforge.storage.endpoint";
    public static final String ACCESS_KEY = "tuneforge.storage.access-key";
    public static final String SECRET_KEY = "tuneforge.storage.secret-key";
    public static final String REGION = "tuneforge.storage.region";
    public static final String BUCKET = "tuneforge.storage.bucket";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_BUCKET = "tuneforge";

    public StorageSettings {
        checkEndpoint(endpoint);
        require(ACCESS_KEY, accessKey);
        require(SECRET_KEY, secretKey);
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        bucket = bucket == null || bucket.isBlank() ? DEFAULT_BUCKET : S3Uri.checkBucket(bucket);
    }

    public static StorageSettings of(String endpoint, String accessKey, String secretKey, String bucket) {
        return new StorageSettings(endpoint, accessKey, secretKey, DEFAULT_REGION, bucket);
    }

    /**
     * Reads the five keys through {@code lookup} (e.g. {@code System::getProperty} or a map's
     * {@code get}); a missing endpoint or key is an error naming the key.
     */
    public static StorageSettings from(Function<String, String> lookup) {
        return new StorageSettings(lookup.apply(ENDPOINT), lookup.apply(ACCESS_KEY), lookup.apply(SECRET_KEY),
                lookup.apply(REGION), lookup.apply(BUCKET));
    }

    /**
     * System properties first, then environment variables named the MicroProfile way
     * ({@code tuneforge.storage.access-key} → {@code TUNEFORGE_STORAGE_ACCESS_KEY}).
     */
    public static StorageSettings fromSystem() {
        return from(key -> {
            String value = System.getProperty(key);
            return value != null ? value : System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        });
    }

    public StorageSettings withBucket(String otherBucket) {
        return new StorageSettings(endpoint, accessKey, secretKey, region, otherBucket);
    }

    @Override
    public String toString() {
        return "StorageSettings[endpoint=" + endpoint + ", accessKey=" + masked(accessKey) + ", secretKey=***, region="
                + region + ", bucket=" + bucket + "]";
    }

    /**
     * The access key's first four characters, enough to tell which key is in use (as AWS consoles show it); the rest
     * stays out of logs because the platform's settings treat the access key as a secret too.
     */
    static String masked(String accessKey) {
        return accessKey == null || accessKey.length() <= 8 ? "***" : accessKey.substring(0, 4) + "***";
    }

    private static void require(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set; give the object store's credentials");
        }
    }

    private static void checkEndpoint(String endpoint) {
        require(ENDPOINT, endpoint);
        try {
            URI uri = new URI(endpoint);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (!http || uri.getHost() == null || !bare || uri.getRawQuery() != null) {
                throw new IllegalArgumentException(ENDPOINT + " '" + endpoint
                        + "' must be http(s)://host[:port] with no path, e.g. http://127.0.0.1:9000");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENDPOINT + " '" + endpoint + "' is not a URI: " + e.getMessage()
                    + "; expected http(s)://host[:port]", e);
        }
    }
}
