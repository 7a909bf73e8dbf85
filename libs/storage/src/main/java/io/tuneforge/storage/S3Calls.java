package io.tuneforge.storage;

import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** Runs MinIO SDK calls and turns whatever they throw into a {@link StorageException} naming operation and object. */
final class S3Calls {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NoSuchBucket");

    private final StorageSettings settings;

    S3Calls(StorageSettings settings) {
        this.settings = settings;
    }

    <T> T call(String operation, String key, S3Call<T> action) {
        String bucket = settings.bucket();
        try {
            return action.call();
        } catch (StorageException e) {
            throw e;
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchBucket".equals(code)) {
                throw new NoSuchObjectException(operation, bucket, key,
                        "bucket '" + bucket + "' does not exist; call ensureBucket() first");
            }
            if (NOT_FOUND.contains(code)) {
                throw new NoSuchObjectException(operation, bucket, key, e);
            }
            throw new StorageException(operation, bucket, key, code + ": " + e.errorResponse().message() + hint(code), e);
        } catch (DigestMismatchException e) {
            throw new StorageException(operation, bucket, key, e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException(operation, bucket, key, "I/O error with " + settings.endpoint() + ": " + e, e);
        } catch (UncheckedIOException e) {
            throw new StorageException(operation, bucket, key, "I/O error: " + e.getCause(), e);
        } catch (Exception e) {
            throw new StorageException(operation, bucket, key, e.toString(), e);
        }
    }

    private static String hint(String code) {
        return switch (code) {
            case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId" ->
                    " (check " + StorageSettings.ACCESS_KEY + " and " + StorageSettings.SECRET_KEY + ")";
            default -> "";
        };
    }

    /** An SDK call that may throw anything. */
    @FunctionalInterface
    interface S3Call<T> {
        T call() throws Exception;
    }
}
