package io.tuneforge.storage;

import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} URI, as events carry them. A key that is empty or ends in {@code /}
 * denotes a prefix ("directory"), e.g. {@code s3://tuneforge/models/qwen2.5-0.5b/}.
 *
 * @param bucket an S3 bucket name: 3-63 of {@code a-z 0-9 . -}, starting and ending with a letter or digit
 * @param key    the object key or prefix, without a leading {@code /}; may be empty
 */
public record S3Uri(String bucket, String key) {

    private static final String SCHEME = "s3://";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Uri {
        checkBucket(bucket);
        if (key == null) {
            key = "";
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("S3 key '" + key + "' must not start with '/'; write s3://"
                    + bucket + "/" + key.replaceFirst("^/+", ""));
        }
    }

    /** Parses {@code s3://bucket/key}, {@code s3://bucket/prefix/} or {@code s3://bucket}. */
    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("'" + uri + "' is not an S3 URI; expected s3://bucket/key");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' has no bucket; expected s3://bucket/key");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + uri + "' has an invalid bucket name '" + bucket + "'; "
                    + "use 3-63 lower-case letters, digits, '.' or '-'");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("'" + uri + "' has an empty path segment after the bucket; "
                    + "expected s3://" + bucket + "/" + key.replaceFirst("^/+", ""));
        }
        return new S3Uri(bucket, key);
    }

    public static S3Uri of(String bucket, String key) {
        return new S3Uri(bucket, key);
    }

    /** Whether this names a prefix (empty key or one ending in {@code /}) rather than one object. */
    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** The URI of {@code relative} under this prefix: {@code s3://b/runs/r1/} + {@code adapter/x} → {@code s3://b/runs/r1/adapter/x}. */
    public S3Uri resolve(String relative) {
        if (!isPrefix()) {
            throw new IllegalArgumentException("Cannot resolve '" + relative + "' against " + this
                    + ": it names an object, not a prefix ending in '/'");
        }
        return new S3Uri(bucket, key + relative);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }

    static String checkBucket(String bucket) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("Invalid S3 bucket name '" + bucket + "'; "
                    + "use 3-63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit");
        }
        return bucket;
    }
}
