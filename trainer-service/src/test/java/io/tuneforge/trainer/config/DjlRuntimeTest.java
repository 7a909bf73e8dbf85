package io.tuneforge.trainer.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replica trains one run at a time (or none); asking for more fails the start with the reason. */
class DjlRuntimeTest {

    @Test
    void zeroOrOneSlotIsAcceptedAndMoreIsRefusedWithTheReason() {
        assertDoesNotThrow(() -> DjlRuntime.requireRunSlots(0));
        assertDoesNotThrow(() -> DjlRuntime.requireRunSlots(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlRuntime.requireRunSlots(2));
        assertTrue(e.getMessage().contains("max-concurrent-runs=2") && e.getMessage().contains("add replicas"),
                e.getMessage());
    }
}
