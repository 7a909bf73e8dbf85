package io.tuneforge.augment.llm;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How long a retry waits: Retry-After in its forms, the breaker's delay, exponential backoff with jitter. */
class RetryTimingTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterIsReadAsSecondsDateOrMilliseconds() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), RetryAfter.parse("20", CLOCK));
        assertEquals(Optional.of(Duration.ofMillis(1500)), RetryAfter.parse(" 1.5 ", CLOCK));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sun, 29 Nov 2026 10:01:30 GMT", CLOCK));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 29 Nov 2026 09:00:00 GMT", CLOCK));
        assertEquals(Optional.empty(), RetryAfter.parse("-3", CLOCK));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", CLOCK));
        HttpHeaders both = HttpHeaders.of(Map.of("Retry-After", List.of("20"), "retry-after-ms", List.of("250")),
                (a, b) -> true);
        assertEquals(Optional.of(Duration.ofMillis(250)), RetryAfter.from(both, CLOCK));
        HttpHeaders none = HttpHeaders.of(Map.of(), (a, b) -> true);
        assertEquals(Optional.empty(), RetryAfter.from(none, CLOCK));
    }

    @Test
    void theServersRetryAfterWinsWithAtMostTenPercentAdded() {
        LlmCallException limited = new LlmCallException(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(3), "429",
                null);
        assertEquals(3000, backoff(0.0).delayMillis(1, limited));
        assertEquals(3299, backoff(0.9999).delayMillis(5, limited));
        LlmCallException longWait = new LlmCallException(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(60), "",
                null);
        assertEquals(60_999, backoff(0.9999).delayMillis(1, longWait), "jitter is capped at 1 s");
    }

    @Test
    void otherFailuresBackOffExponentiallyWithEqualJitterUpToTheCap() {
        LlmCallException e = new LlmCallException(FailureKind.SERVER_ERROR, 500, null, "500", null);
        // initial 100 ms, cap 1000 ms: caps 100, 200, 400, 800, 1000, 1000
        long[] caps = {100, 200, 400, 800, 1000, 1000};
        for (int k = 1; k <= caps.length; k++) {
            assertEquals(caps[k - 1] / 2, backoff(0.0).delayMillis(k, e), "lowest wait before retry " + k);
            assertEquals(caps[k - 1] - 1, backoff(0.9999).delayMillis(k, e), "highest wait before retry " + k);
        }
        assertEquals(1000 - 1, backoff(0.9999).delayMillis(500, e), "no overflow for late retries");
    }

    @Test
    void anOpenBreakerIsWaitedOutOverAQuarterToAllOfItsDelay() {
        CircuitBreakerOpenException open = new CircuitBreakerOpenException("open");
        assertEquals(2000, backoff(0.0).delayMillis(1, open));
        assertEquals(7999, backoff(0.9999).delayMillis(1, open));
    }

    private static RetryBackoff backoff(double random) {
        return new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(8),
                () -> random, t -> { });
    }
}
