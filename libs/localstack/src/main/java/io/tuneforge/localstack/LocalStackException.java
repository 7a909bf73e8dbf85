package io.tuneforge.localstack;

/**
 * A local server could not be started, reached or stopped. The message names the server, the
 * address or directory involved and, where it helps, what to change.
 */
public class LocalStackException extends RuntimeException {

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
