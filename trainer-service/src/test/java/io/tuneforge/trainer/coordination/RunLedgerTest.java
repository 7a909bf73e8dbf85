package io.tuneforge.trainer.coordination;

import io.tuneforge.contracts.training.TrainingStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules every replica applies to the run log, in log order: who may claim, release, cancel and finish a run. */
class RunLedgerTest {

    private static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    private final RunLedger ledger = new RunLedger();

    private Claim claim(String runId, long epoch, String worker) {
        RunLogEntry e = RunLogEntry.claimed(runId, epoch, worker, T);
        assertTrue(ledger.apply(e).accepted(), "claim of epoch " + epoch + " by " + worker);
        return Claim.of(e);
    }

    @Test
    void ofTwoClaimsOfTheSameEpochTheFirstInTheLogWins() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        RunLogEntry first = RunLogEntry.claimed("r1", 1, "a", T);
        RunLogEntry second = RunLogEntry.claimed("r1", 1, "b", T);

        assertTrue(ledger.apply(first).accepted());
        RunLedger.Verdict verdict = ledger.apply(second);

        assertFalse(verdict.accepted());
        assertTrue(verdict.reason().contains("must name epoch 2"), verdict.reason());
        assertEquals("a", ledger.get("r1").orElseThrow().holder().worker());
        assertTrue(ledger.get("r1").orElseThrow().isHeld());
    }

    @Test
    void aHolderThatLostTheRunToANewerClaimCannotFinishIt() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        Claim stale = claim("r1", 1, "a");
        Claim current = claim("r1", 2, "b"); // a's lease expired

        RunLedger.Verdict lateFinish = ledger.apply(RunLogEntry.finished(stale, TrainingStatus.SUCCEEDED, null, T));
        assertFalse(lateFinish.accepted());
        assertTrue(lateFinish.reason().contains("no longer holds run r1"), lateFinish.reason());

        assertTrue(ledger.apply(RunLogEntry.finished(current, TrainingStatus.SUCCEEDED, null, T)).accepted());
        assertEquals(TrainingStatus.SUCCEEDED, ledger.get("r1").orElseThrow().status());
    }

    @Test
    void aRunFinishesOnceAndIsNeverClaimedAgain() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        Claim c = claim("r1", 1, "a");
        assertTrue(ledger.apply(RunLogEntry.finished(c, TrainingStatus.CANCELLED, null, T)).accepted());

        assertFalse(ledger.apply(RunLogEntry.finished(c, TrainingStatus.SUCCEEDED, null, T)).accepted());
        assertFalse(ledger.apply(RunLogEntry.claimed("r1", 2, "b", T)).accepted());
        assertTrue(ledger.unfinished().isEmpty());
        assertEquals(TrainingStatus.CANCELLED, ledger.get("r1").orElseThrow().status());
    }

    @Test
    void aReleasedRunWaitsAgainAndTheNextClaimTakesTheNextEpoch() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        Claim c = claim("r1", 1, "a");
        assertTrue(ledger.apply(RunLogEntry.released(c, "shutting down", T)).accepted());
        assertTrue(ledger.get("r1").orElseThrow().isWaiting());

        assertFalse(ledger.apply(RunLogEntry.finished(c, TrainingStatus.SUCCEEDED, null, T)).accepted(),
                "a released claim cannot finish the run");
        Claim next = claim("r1", 2, "b");
        assertEquals(2, next.epoch());
        assertTrue(ledger.get("r1").orElseThrow().isHeld());
    }

    @Test
    void oneCancelPerRunIsAcceptedAndAnUnknownRunIsRefused() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));

        assertTrue(ledger.apply(RunLogEntry.cancelRequested("r1", "wrong data", "a", T)).accepted());
        assertFalse(ledger.apply(RunLogEntry.cancelRequested("r1", "again", "b", T)).accepted());
        assertEquals("wrong data", ledger.get("r1").orElseThrow().cancelReason());
        assertFalse(ledger.apply(RunLogEntry.cancelRequested("nope", "?", "a", T)).accepted());
        assertFalse(ledger.apply(RunLogEntry.claimed("nope", 1, "a", T)).accepted());
    }

    @Test
    void waitingRunsComeOutFirstInFirstOutAndAreCountedAsQueued() {
        ledger.apply(RunLogEntry.enqueued("r2", "a", T));
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        ledger.apply(RunLogEntry.enqueued("r2", "a", T)); // redelivered admission: changes nothing
        claim("r2", 1, "a");

        assertEquals(java.util.List.of("r2", "r1"), ledger.unfinished().stream().map(RunEntry::runId).toList());
        assertEquals(1L, ledger.countsByStatus().get("queued"));
        assertEquals(1L, ledger.countsByStatus().get("running"));
    }

    @Test
    void aFinishedRunIsUnpublishedUntilItsEventIsConfirmed() {
        ledger.apply(RunLogEntry.enqueued("r1", "a", T));
        Claim c = claim("r1", 1, "a");
        ledger.apply(RunLogEntry.finished(c, TrainingStatus.FAILED, null, T));
        assertEquals(1, ledger.unpublished().size());

        assertTrue(ledger.apply(RunLogEntry.published("r1", "a", T)).accepted());
        assertTrue(ledger.unpublished().isEmpty());
        assertFalse(ledger.apply(RunLogEntry.published("r1", "b", T)).accepted());
    }
}
