package io.tuneforge.trainer.coordination;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Reads and writes {@code runs/{runId}/lease.json}, and says whether a held run's holder is gone. */
@ApplicationScoped
public class LeaseStore {

    public static final String FILE = "lease.json";

    private final ArtifactStore store;
    private final Duration ttl;

    public LeaseStore(ArtifactStore store, TrainerConfig config) {
        this.store = store;
        this.ttl = config.lease().ttl();
    }

    public static String key(String runId) {
        return ObjectKeys.runPrefix(runId) + FILE;
    }

    public Optional<Lease> read(String runId) {
        try {
            return Optional.of(store.getJson(key(runId), Lease.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    public void write(Lease lease) {
        store.putJson(key(lease.runId()), lease);
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Whether {@code run} may be claimed now: it waits (never claimed, or released), or its holder's lease has
     * expired — the holder's {@code lease.json} was not renewed within the TTL, or, if the holder never wrote one, its
     * claim is older than the TTL.
     */
    public boolean claimable(RunEntry run, Instant now) {
        if (run.isFinished()) {
            return false;
        }
        if (run.isWaiting()) {
            return true;
        }
        Claim holder = run.holder();
        Optional<Lease> lease = read(run.runId()).filter(l -> holder.claimId().equals(l.claimId()));
        Instant expiry = lease.map(Lease::expiresAt).orElse(holder.claimedAt().plus(ttl));
        return now.isAfter(expiry);
    }
}
