package io.tuneforge.trainer.persistence;

import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingStatus;

import java.time.Instant;

/**
 * {@code runs/{runId}/state.json}: where a run stands. The trainer writes it on every status change; it is the
 * durable idempotency guard (a run that is queued or finished is not admitted again) and what a restarted replica
 * reads to pick a run up.
 *
 * @param schemaVersion  shape version of this file (1)
 * @param runId          the run
 * @param status         validating → queued → running → succeeded | failed | cancelled
 * @param createdAt      when the request was admitted or refused
 * @param updatedAt      last status change
 * @param requestEventId id of the event that carried the request (the idempotency key of redeliveries)
 * @param errorCode      why it failed; null unless failed
 * @param message        what happened, for a person (failure reason, cancel reason)
 * @param worker         the trainer replica that wrote this state
 */
public record RunState(int schemaVersion, String runId, TrainingStatus status, Instant createdAt, Instant updatedAt,
                       String requestEventId, TrainingErrorCode errorCode, String message, String worker) {

    public static final int SCHEMA_VERSION = 1;

    public static RunState queued(String runId, String requestEventId, String worker, Instant now) {
        return new RunState(SCHEMA_VERSION, runId, TrainingStatus.QUEUED, now, now, requestEventId, null, null, worker);
    }

    public static RunState failed(String runId, String requestEventId, TrainingErrorCode code, String message,
                                  String worker, Instant now) {
        return new RunState(SCHEMA_VERSION, runId, TrainingStatus.FAILED, now, now, requestEventId, code, message,
                worker);
    }

    /** This state moved to {@code next} at {@code now}, with a message saying why. */
    public RunState transition(TrainingStatus next, String why, String byWorker, Instant now) {
        return new RunState(schemaVersion, runId, next, createdAt, now, requestEventId, errorCode, why, byWorker);
    }

    /** A run in this state is not admitted again: it is queued, running, or finished. */
    public boolean blocksReadmission() {
        return status != TrainingStatus.VALIDATING;
    }
}
