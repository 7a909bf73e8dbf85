package io.tuneforge.augment.llm;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long a server asks a client to wait: {@code retry-after-ms} (milliseconds, sent by OpenAI and Azure OpenAI)
 * wins over {@code Retry-After}, which is either delay-seconds ({@code 20}; decimals accepted) or an HTTP-date
 * ({@code Wed, 21 Oct 2015 07:28:00 GMT}, RFC 9110 §10.2.3). Unreadable or negative values count as absent.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(v -> number(v, 1));
        if (ms.isPresent()) {
            return ms;
        }
        return headers.firstValue("retry-after").flatMap(v -> parse(v, clock));
    }

    /** A Retry-After value: seconds or an HTTP-date (then the time until it, at least zero). */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Optional<Duration> seconds = number(value, 1000);
        if (seconds.isPresent()) {
            return seconds;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> number(String value, long millisPerUnit) {
        try {
            BigDecimal n = new BigDecimal(value.trim());
            if (n.signum() < 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(n.multiply(BigDecimal.valueOf(millisPerUnit)).longValue()));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
