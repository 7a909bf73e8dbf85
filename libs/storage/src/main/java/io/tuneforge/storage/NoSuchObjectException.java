package io.tuneforge.storage;

/** The object (or every object under a prefix) does not exist; distinct so callers can treat absence as a case. */
public class NoSuchObjectException extends StorageException {

    public NoSuchObjectException(String operation, String bucket, String key, Throwable cause) {
        super(operation, bucket, key, "no such object", cause);
    }

    public NoSuchObjectException(String operation, String bucket, String key, String problem) {
        super(operation, bucket, key, problem, null);
    }
}
