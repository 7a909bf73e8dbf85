package io.tuneforge.registry.ui;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the pages print for numbers, times, shares and differences. */
class UiFormatTest {

    @Test
    void formatsNumbersTimesAndShares() {
        assertEquals("0.62", UiFormat.num(0.62));
        assertEquals("12.5", UiFormat.num(12.5));
        assertEquals("2.00e-04", UiFormat.num(2e-4));
        assertEquals("1235", UiFormat.num(1234.5));
        assertEquals("", UiFormat.num(null));
        assertEquals("+0.13", UiFormat.signed(0.13));
        assertEquals("-4.25", UiFormat.signed(-4.25));
        assertEquals("42%", UiFormat.percent(0.42));
        assertEquals("100.0%", UiFormat.width(1.7));
        assertEquals("2026-11-29 10:15:30 UTC", UiFormat.utc(Instant.parse("2026-11-29T10:15:30.123Z")));
        assertEquals("1 h 05 min", UiFormat.duration(3900.0));
        assertEquals("3 min 20 s", UiFormat.duration(200.0));
        assertEquals("1.5 MiB", UiFormat.bytes(1572864L));
        assertEquals("a%20b%2Fc", UiFormat.urlPart("a b/c"));
    }

    @Test
    void aDifferenceIsBetterWhenItMovesTheRightWayForItsMetric() {
        assertEquals("delta-up", UiFormat.better("rougeL", 0.1));
        assertEquals("delta-down", UiFormat.better("bleu", -0.1));
        assertEquals("delta-up", UiFormat.better("perplexity", -4.0));
        assertEquals("delta-down", UiFormat.better("evalLoss", 0.2));
        assertEquals("", UiFormat.better("rougeL", 0.0));
    }

    @Test
    void signInOnlyReturnsToPagesOfThisUi() {
        assertEquals("/ui/runs/r1", SignInPage.safeNext("/ui/runs/r1"));
        assertEquals("/ui/models", SignInPage.safeNext("https://evil.example/ui/"));
        assertEquals("/ui/models", SignInPage.safeNext("//evil.example/ui/x"));
        assertEquals("/ui/models", SignInPage.safeNext("/ui/login"));
        assertEquals("/ui/models", SignInPage.safeNext(null));
    }
}
