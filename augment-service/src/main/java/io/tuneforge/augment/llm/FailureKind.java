package io.tuneforge.augment.llm;

import java.util.Locale;

/**
 * Why one attempt at a completion failed, and what that means: whether it is retried, whether it counts against the
 * circuit breaker, and whether a completion that still fails this way after its retries stops the whole job (no
 * later call would fare better) rather than only its record.
 */
public enum FailureKind {
    /** HTTP 429; waits at least the server's Retry-After. Not a breaker failure: the server is answering. */
    RATE_LIMITED(true, false, true),
    /** HTTP 5xx. */
    SERVER_ERROR(true, true, false),
    /** No complete answer within the timeout (or HTTP 408). */
    TIMEOUT(true, true, false),
    /** Connection refused or reset, unknown host. */
    CONNECTION(true, true, false),
    /** HTTP 2xx whose body is not a chat completion. */
    MALFORMED_RESPONSE(true, true, false),
    /** HTTP 2xx with {@code "choices": []}. */
    EMPTY_CHOICES(true, true, false),
    /** The circuit breaker is open: the attempt was not sent. */
    CIRCUIT_OPEN(true, false, true),
    /** HTTP 400/422 and other 4xx: this request is wrong (e.g. too long for the context); others may pass. */
    CLIENT_ERROR(false, false, false),
    /** HTTP 401/403: the key is missing or wrong. */
    AUTHENTICATION(false, false, true),
    /** HTTP 404: the model (or the base URL) does not exist. */
    MODEL_NOT_FOUND(false, false, true),
    /** Anything else; not retried. */
    OTHER(false, false, false);

    private final boolean retryable;
    private final boolean breakerFailure;
    private final boolean stopsJob;

    FailureKind(boolean retryable, boolean breakerFailure, boolean stopsJob) {
        this.retryable = retryable;
        this.breakerFailure = breakerFailure;
        this.stopsJob = stopsJob;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean breakerFailure() {
        return breakerFailure;
    }

    /** A completion that finally failed this way fails the job (it resumes when sent again), not only its record. */
    public boolean stopsJob() {
        return stopsJob;
    }

    /** {@code rate_limited}, {@code server_error}, ... as counted in manifests. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of an HTTP error status. */
    public static FailureKind ofStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 408) {
            return TIMEOUT;
        }
        if (status == 401 || status == 403) {
            return AUTHENTICATION;
        }
        if (status == 404) {
            return MODEL_NOT_FOUND;
        }
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : OTHER;
    }
}
