package io.tuneforge.augment.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * One attempt at a completion failed (or, thrown by {@link LlmGateway}, the completion failed after its retries).
 * The message names the endpoint's answer, never the key.
 */
public class LlmCallException extends RuntimeException {

    private final FailureKind kind;
    private final int status;
    private final Duration retryAfter;

    public LlmCallException(FailureKind kind, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public LlmCallException(FailureKind kind, String message, Throwable cause) {
        this(kind, 0, null, message, cause);
    }

    public FailureKind kind() {
        return kind;
    }

    /** HTTP status, 0 when there was no HTTP answer. */
    public int status() {
        return status;
    }

    /** What the server asked to wait (Retry-After / retry-after-ms), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
