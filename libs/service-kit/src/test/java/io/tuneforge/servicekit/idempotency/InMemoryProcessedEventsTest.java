package io.tuneforge.servicekit.idempotency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryProcessedEventsTest {

    @Test
    void secondRecordOfTheSameIdReportsAlreadyProcessed() {
        ProcessedEvents log = new InMemoryProcessedEvents();
        assertFalse(log.contains("e-1"));
        assertTrue(log.record("e-1"));
        assertTrue(log.contains("e-1"));
        assertFalse(log.record("e-1"));
    }

    @Test
    void oldestIdsAreForgottenBeyondCapacity() {
        ProcessedEvents log = new InMemoryProcessedEvents(2);
        log.record("a");
        log.record("b");
        log.record("c");
        assertFalse(log.contains("a"));
        assertTrue(log.contains("b"));
        assertTrue(log.contains("c"));
    }

    @Test
    void refusesANonPositiveCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InMemoryProcessedEvents(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
