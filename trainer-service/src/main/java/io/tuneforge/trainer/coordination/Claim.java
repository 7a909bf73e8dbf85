package io.tuneforge.trainer.coordination;

import java.time.Instant;

/**
 * A replica's accepted claim of a run: attempt {@code epoch}, proven by {@code claimId} (the entry id of its claim
 * record). Only the holder of the current claim may renew the lease, write checkpoints and finish the run.
 *
 * @param runId     the run
 * @param epoch     attempt number, 1 for the first claim
 * @param claimId   entry id of the claim record
 * @param worker    the replica holding it
 * @param claimedAt when the claim was written
 */
public record Claim(String runId, long epoch, String claimId, String worker, Instant claimedAt) {

    static Claim of(RunLogEntry claim) {
        return new Claim(claim.runId(), claim.epoch(), claim.entryId(), claim.worker(), claim.at());
    }
}
