package io.tuneforge.tuning.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The schedules against transformers' get_{cosine,linear,constant}_schedule_with_warmup values. */
class LrScheduleTest {

    @Test
    void cosineWithWarmup() {
        LrSchedule s = new LrSchedule("cosine", 1e-3, 2, 10);
        assertEquals(0.0, s.lr(0), 1e-15, "HF's first warmup step runs at 0");
        assertEquals(0.5e-3, s.lr(1), 1e-15);
        assertEquals(1e-3, s.lr(2), 1e-15);
        // progress (6-2)/8 = 0.5 → ½(1 + cos(π/2)) = 0.5
        assertEquals(0.5e-3, s.lr(6), 1e-15);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 7 / 8)), s.lr(9), 1e-15);
        assertEquals(0.0, s.lr(10), 1e-15);
    }

    @Test
    void linearWithWarmup() {
        LrSchedule s = new LrSchedule("linear", 2e-4, 3, 13);
        assertEquals(2e-4 / 3, s.lr(1), 1e-18);
        assertEquals(2e-4, s.lr(3), 1e-18);
        assertEquals(2e-4 * 5 / 10, s.lr(8), 1e-18);
        assertEquals(2e-4 / 10, s.lr(12), 1e-18);
        assertEquals(0.0, s.lr(13), 0.0);
    }

    @Test
    void constantWarmsUpThenStays() {
        LrSchedule s = new LrSchedule("constant", 5e-5, 4, 100);
        assertEquals(2.5e-5, s.lr(2), 1e-18);
        assertEquals(5e-5, s.lr(4), 0);
        assertEquals(5e-5, s.lr(99), 0);
        assertEquals(5e-5, new LrSchedule("CONSTANT", 5e-5, 0, 3).lr(0), 0, "no warmup: full rate from step 0");
    }

    @Test
    void warmupRatioRoundsUpAndStepsWin() {
        assertEquals(3, LrSchedule.of("cosine", 1e-4, null, 0.03, 100).warmupSteps(), "⌈100 · 0.03⌉");
        assertEquals(2, LrSchedule.of("cosine", 1e-4, null, 0.03, 50).warmupSteps(), "⌈1.5⌉");
        assertEquals(1, LrSchedule.of("cosine", 1e-4, null, 0.1, 10).warmupSteps());
        assertEquals(0, LrSchedule.of("cosine", 1e-4, null, 0.0, 10).warmupSteps());
        assertEquals(7, LrSchedule.of("linear", 1e-4, 7, 0.5, 100).warmupSteps());
    }

    @Test
    void refusesUnknownKindsAndBadNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LrSchedule("polynomial", 1e-4, 0, 10));
        assertEquals("scheduler 'polynomial' is not known; use one of [cosine, linear, constant]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule("cosine", 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule("cosine", 1e-4, 0, 0));
    }
}
