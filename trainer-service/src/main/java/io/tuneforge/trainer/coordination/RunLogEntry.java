package io.tuneforge.trainer.coordination;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.training.TrainingStatus;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * One record of the run log (topic {@code tuneforge.trainer.runs}, key = run id): a fact about who may do what with a
 * run. Every replica reads the whole log in order and applies it to its {@link RunLedger}; the order of the log
 * decides races (two replicas claiming the same run: the first claim in the log wins).
 *
 * @param schemaVersion shape version (1)
 * @param kind          what happened
 * @param runId         the run
 * @param entryId       unique id of this record; a claim's entry id is the claim id its holder proves itself with
 * @param worker        the replica that wrote it
 * @param at            when it was written (the writer's clock)
 * @param epoch         claims: the attempt number (1, 2, … one more than the last accepted claim); released and
 *                      finished: the holder's epoch
 * @param claimId       released and finished: the entry id of the holder's claim
 * @param reason        cancel-requested and released: why
 * @param status        finished: succeeded, failed or cancelled
 * @param event         finished: the terminal event ({@code id}, {@code type}, {@code time}, {@code data}), so that
 *                      any replica can publish it again if its writer died before it did
 */
public record RunLogEntry(int schemaVersion, Kind kind, String runId, String entryId, String worker, Instant at,
                          long epoch, String claimId, String reason, TrainingStatus status, JsonNode event) {

    public static final int SCHEMA_VERSION = 1;

    /** The facts of the run log. */
    public enum Kind {
        /** The run was admitted and waits for a replica. */
        ENQUEUED,
        /** A replica takes the run (attempt {@code epoch}); accepted only as the first claim of that epoch. */
        CLAIMED,
        /** The holder gives the run back unfinished (shutting down); it may be claimed again at once. */
        RELEASED,
        /** Someone asked to stop the run; the holder (or the next claimer) ends it as cancelled. */
        CANCEL_REQUESTED,
        /** The holder ended the run; accepted only from the current holder, and only once. */
        FINISHED,
        /** The terminal event of a finished run is on the event topic. */
        PUBLISHED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Kind fromWire(String value) {
            return Arrays.stream(values()).filter(k -> k.wireName().equals(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown run log kind '" + value + "'; expected"
                            + " one of " + Arrays.stream(values()).map(Kind::wireName).toList()));
        }
    }

    public static RunLogEntry enqueued(String runId, String worker, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.ENQUEUED, runId, newId(), worker, at, 0, null, null, null, null);
    }

    public static RunLogEntry claimed(String runId, long epoch, String worker, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.CLAIMED, runId, newId(), worker, at, epoch, null, null, null,
                null);
    }

    public static RunLogEntry released(Claim claim, String reason, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.RELEASED, claim.runId(), newId(), claim.worker(), at,
                claim.epoch(), claim.claimId(), reason, null, null);
    }

    public static RunLogEntry cancelRequested(String runId, String reason, String worker, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.CANCEL_REQUESTED, runId, newId(), worker, at, 0, null, reason,
                null, null);
    }

    public static RunLogEntry finished(Claim claim, TrainingStatus status, JsonNode event, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.FINISHED, claim.runId(), newId(), claim.worker(), at,
                claim.epoch(), claim.claimId(), null, status, event);
    }

    public static RunLogEntry published(String runId, String worker, Instant at) {
        return new RunLogEntry(SCHEMA_VERSION, Kind.PUBLISHED, runId, newId(), worker, at, 0, null, null, null, null);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
