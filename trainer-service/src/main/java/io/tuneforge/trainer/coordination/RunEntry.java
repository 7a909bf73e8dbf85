package io.tuneforge.trainer.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.training.TrainingStatus;

import java.time.Instant;

/**
 * What the run log says about one run, after every record up to now was applied ({@link RunLedger}).
 *
 * @param runId        the run
 * @param order        position of its enqueue among all runs (first in, first claimed)
 * @param enqueuedAt   when it was enqueued
 * @param epoch        number of accepted claims (0 while never claimed)
 * @param holder       the last accepted claim, or null
 * @param released     the holder gave the run back unfinished
 * @param cancelReason why a cancel was requested, or null
 * @param status       succeeded, failed or cancelled once finished; null before
 * @param finishEvent  the terminal event stored with the finish record
 * @param finishedAt   when the finish record was written
 * @param published    the terminal event is on the event topic
 */
public record RunEntry(String runId, long order, Instant enqueuedAt, long epoch, Claim holder, boolean released,
                       String cancelReason, TrainingStatus status, JsonNode finishEvent, Instant finishedAt,
                       boolean published) {

    static RunEntry enqueued(String runId, long order, Instant at) {
        return new RunEntry(runId, order, at, 0, null, false, null, null, null, null, false);
    }

    /** Finished: nothing may happen to it any more. */
    public boolean isFinished() {
        return status != null;
    }

    /** Waiting for a replica: never claimed, or released by its last holder. */
    public boolean isWaiting() {
        return !isFinished() && (holder == null || released);
    }

    /** Held by a replica that has not finished or released it (it may have died: see the lease). */
    public boolean isHeld() {
        return !isFinished() && holder != null && !released;
    }

    RunEntry withClaim(Claim claim) {
        return new RunEntry(runId, order, enqueuedAt, claim.epoch(), claim, false, cancelReason, status, finishEvent,
                finishedAt, published);
    }

    RunEntry withReleased() {
        return new RunEntry(runId, order, enqueuedAt, epoch, holder, true, cancelReason, status, finishEvent,
                finishedAt, published);
    }

    RunEntry withCancel(String reason) {
        return new RunEntry(runId, order, enqueuedAt, epoch, holder, released, reason, status, finishEvent,
                finishedAt, published);
    }

    RunEntry withFinish(TrainingStatus finalStatus, JsonNode event, Instant at) {
        return new RunEntry(runId, order, enqueuedAt, epoch, holder, released, cancelReason, finalStatus, event, at,
                published);
    }

    RunEntry withPublished() {
        return new RunEntry(runId, order, enqueuedAt, epoch, holder, released, cancelReason, status, finishEvent,
                finishedAt, true);
    }
}
