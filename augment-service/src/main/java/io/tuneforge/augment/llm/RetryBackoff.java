package io.tuneforge.augment.llm;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Consumer;

/**
 * The wait before retry k (k = 1, 2, ...) of one completion, as SmallRye Fault Tolerance's custom backoff:
 * <ol>
 *   <li>the server said how long (429 with Retry-After, or retry-after-ms): that long, plus up to 10 % (at most 1 s)
 *       so that many workers told the same second do not all come back in it;</li>
 *   <li>the circuit breaker is open: between a quarter of its delay and its whole delay, so trial requests spread
 *       out over the half-open window;</li>
 *   <li>otherwise exponential backoff with "equal jitter": cap = min(max, initial · 2^(k-1)), wait = cap/2 +
 *       random(0, cap/2) — never zero, never more than the cap.</li>
 * </ol>
 * One instance per completion (the guard asks its supplier for a new one per call).
 */
final class RetryBackoff implements CustomBackoffStrategy {

    private final long initialMs;
    private final long maxMs;
    private final long breakerDelayMs;
    private final DoubleSupplier random;
    private final Consumer<Throwable> onRetry;
    private int retry;

    /**
     * @param onRetry told of every failure that is about to be retried (before the wait)
     */
    RetryBackoff(Duration initial, Duration max, Duration breakerDelay, DoubleSupplier random,
            Consumer<Throwable> onRetry) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.breakerDelayMs = breakerDelay.toMillis();
        this.random = random;
        this.onRetry = onRetry;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        retry++;
        onRetry.accept(cause);
        return delayMillis(retry, cause);
    }

    long delayMillis(int k, Throwable cause) {
        if (cause instanceof LlmCallException e && e.retryAfter().isPresent()) {
            long asked = e.retryAfter().get().toMillis();
            return asked + (long) (random.getAsDouble() * Math.min(1000, asked / 10));
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return breakerDelayMs / 4 + (long) (random.getAsDouble() * (breakerDelayMs - breakerDelayMs / 4));
        }
        long cap = maxMs;
        if (k - 1 < 62 && initialMs <= (maxMs >> Math.min(62, k - 1))) {
            cap = Math.min(maxMs, initialMs << (k - 1));
        }
        return cap / 2 + (long) (random.getAsDouble() * (cap - cap / 2));
    }
}
