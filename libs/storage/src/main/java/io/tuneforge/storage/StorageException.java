package io.tuneforge.storage;

/**
 * An object-store operation failed. The message names the operation and the {@code s3://bucket/key}
 * it was working on; {@link #operation()}, {@link #bucket()} and {@link #key()} give them apart.
 */
public class StorageException extends RuntimeException {

    private final String operation;
    private final String bucket;
    private final String key;

    public StorageException(String operation, String bucket, String key, String problem, Throwable cause) {
        super(operation + " " + location(bucket, key) + " failed: " + problem, cause);
        this.operation = operation;
        this.bucket = bucket;
        this.key = key;
    }

    public StorageException(String operation, String bucket, String key, String problem) {
        this(operation, bucket, key, problem, null);
    }

    /** What was being done: put, get, stat, list, delete, upload, download, ... */
    public String operation() {
        return operation;
    }

    public String bucket() {
        return bucket;
    }

    /** The object key or prefix; may be empty for bucket-level operations. */
    public String key() {
        return key;
    }

    private static String location(String bucket, String key) {
        return "s3://" + bucket + "/" + (key == null ? "" : key);
    }
}
