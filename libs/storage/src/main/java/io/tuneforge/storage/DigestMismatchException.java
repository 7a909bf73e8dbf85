package io.tuneforge.storage;

import java.io.IOException;

/** Bytes read from the store do not match the SHA-256 recorded when they were written. */
final class DigestMismatchException extends IOException {

    DigestMismatchException(String message) {
        super(message);
    }
}
