package io.tuneforge.trainer.coordination;

import java.time.Instant;

/**
 * {@code runs/{runId}/lease.json}: the holder of a run says it is alive. Written when a claim is accepted and renewed
 * by a heartbeat while the run trains; a lease whose {@code expiresAt} has passed tells the other replicas that the
 * holder died, and the run may be claimed again (it resumes from its last checkpoint in the store). Replicas compare
 * {@code expiresAt} with their own clocks: keep the TTL well above the clock skew between them.
 *
 * @param schemaVersion shape version (1)
 * @param runId         the run
 * @param worker        the holder
 * @param claimId       the holder's claim (entry id of its claim record in the run log)
 * @param epoch         the claim's attempt number
 * @param acquiredAt    when the claim was accepted
 * @param renewedAt     last heartbeat
 * @param expiresAt     {@code renewedAt} + TTL
 */
public record Lease(int schemaVersion, String runId, String worker, String claimId, long epoch, Instant acquiredAt,
                    Instant renewedAt, Instant expiresAt) {

    public static final int SCHEMA_VERSION = 1;

    public static Lease of(Claim claim, Instant now, java.time.Duration ttl) {
        return new Lease(SCHEMA_VERSION, claim.runId(), claim.worker(), claim.claimId(), claim.epoch(), now, now,
                now.plus(ttl));
    }

    public Lease renewed(Instant now, java.time.Duration ttl) {
        return new Lease(schemaVersion, runId, worker, claimId, epoch, acquiredAt, now, now.plus(ttl));
    }
}
