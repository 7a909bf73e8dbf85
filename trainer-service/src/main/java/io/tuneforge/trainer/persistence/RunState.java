package io.tuneforge.trainer.persistence;

import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingStatus;

import java.time.Instant;

/**
 * {@code runs/{runId}/state.json}: where a run stands, for people and tools. The trainer writes it on every status
 * change and checkpoint; it is also the durable idempotency guard of admission (a run that is queued, running or
 * finished is not admitted again). Who may change a running run is decided by the run log, not by this file.
 *
 * @param schemaVersion  shape version of this file (1; later fields are optional)
 * @param runId          the run
 * @param status         validating → queued → running → succeeded | failed | cancelled (running → queued when a
 *                       replica shutting down hands the run back)
 * @param createdAt      when the request was admitted or refused
 * @param updatedAt      last change
 * @param requestEventId id of the event that carried the request (the idempotency key of redeliveries)
 * @param errorCode      why it failed; null unless failed
 * @param message        what happened, for a person (failure reason, cancel reason, hand-over)
 * @param worker         the trainer replica that wrote this state
 * @param attempt        how many times a replica claimed the run (1 for a run that never moved)
 * @param step           optimizer steps done, as of the last checkpoint or the end
 * @param lastCheckpoint {@code s3://…/runs/{runId}/checkpoints/step-{n}/} of the last checkpoint, or null
 * @param startedAt      when training first started, or null
 */
public record RunState(int schemaVersion, String runId, TrainingStatus status, Instant createdAt, Instant updatedAt,
                       String requestEventId, TrainingErrorCode errorCode, String message, String worker,
                       Integer attempt, Long step, String lastCheckpoint, Instant startedAt) {

    public static final int SCHEMA_VERSION = 1;

    public static RunState queued(String runId, String requestEventId, String worker, Instant now) {
        return new RunState(SCHEMA_VERSION, runId, TrainingStatus.QUEUED, now, now, requestEventId, null, null, worker,
                null, null, null, null);
    }

    public static RunState failed(String runId, String requestEventId, TrainingErrorCode code, String message,
                                  String worker, Instant now) {
        return new RunState(SCHEMA_VERSION, runId, TrainingStatus.FAILED, now, now, requestEventId, code, message,
                worker, null, null, null, null);
    }

    /** This state moved to {@code next} at {@code now}, with a message saying why. */
    public RunState transition(TrainingStatus next, String why, String byWorker, Instant now) {
        return new RunState(schemaVersion, runId, next, createdAt, now, requestEventId, errorCode, why, byWorker,
                attempt, step, lastCheckpoint, startedAt);
    }

    /** Attempt {@code number} started on {@code byWorker}. */
    public RunState running(String byWorker, long number, Instant now) {
        return new RunState(schemaVersion, runId, TrainingStatus.RUNNING, createdAt, now, requestEventId, null,
                "attempt " + number + " on " + byWorker, byWorker, Math.toIntExact(number), step, lastCheckpoint,
                startedAt == null ? now : startedAt);
    }

    /** A checkpoint of step {@code atStep} is in the store at {@code uri}. */
    public RunState checkpointed(long atStep, String uri, Instant now) {
        return new RunState(schemaVersion, runId, status, createdAt, now, requestEventId, errorCode, message, worker,
                attempt, atStep, uri, startedAt);
    }

    /** Finished with {@code finalStatus} after {@code atStep} steps; {@code code} only for failures. */
    public RunState finished(TrainingStatus finalStatus, TrainingErrorCode code, String why, long atStep,
                             String byWorker, Instant now) {
        return new RunState(schemaVersion, runId, finalStatus, createdAt, now, requestEventId, code, why, byWorker,
                attempt, atStep, lastCheckpoint, startedAt);
    }

    /** A run in this state is not admitted again: it is queued, running, or finished. */
    public boolean blocksReadmission() {
        return status != TrainingStatus.VALIDATING;
    }
}
