package io.tuneforge.augment.llm;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;
import java.util.Optional;

/**
 * langchain4j's {@link HttpException} plus what the stock one drops: the server's Retry-After. langchain4j maps it by
 * status (429 → RateLimitException, ...) and keeps it as the cause, where {@link OpenAiChat} finds it again.
 */
public class ApiHttpException extends HttpException {

    private final Duration retryAfter;

    public ApiHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
