package io.tuneforge.trainer.coordination;

import io.quarkus.runtime.ShutdownEvent;
import io.tuneforge.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes the lease of each run this replica holds when the claim is accepted, and renews it every
 * {@code tuneforge.trainer.lease.heartbeat} on a thread of its own, so a long step never delays a heartbeat. A renewal
 * that fails (store away) is retried at the next beat; if the lease expires meanwhile, another replica may claim the
 * run, and the run log tells this one it lost it.
 */
@ApplicationScoped
public class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final LeaseStore leases;
    private final Duration heartbeat;
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> renewals = new ConcurrentHashMap<>();

    public LeaseKeeper(LeaseStore leases, TrainerConfig config) {
        this.leases = leases;
        this.heartbeat = config.lease().heartbeat();
        if (heartbeat.compareTo(config.lease().ttl()) >= 0) {
            throw new IllegalArgumentException("tuneforge.trainer.lease.heartbeat=" + heartbeat + " must be shorter"
                    + " than tuneforge.trainer.lease.ttl=" + config.lease().ttl() + " (a third of it is a good value)");
        }
    }

    /** Writes the lease of a claim just accepted and starts renewing it. */
    public void start(Claim claim) {
        Lease[] current = {Lease.of(claim, now(), leases.ttl())};
        leases.write(current[0]);
        ScheduledFuture<?> renewal = beats.scheduleWithFixedDelay(() -> {
            try {
                Lease next = current[0].renewed(now(), leases.ttl());
                leases.write(next);
                current[0] = next;
            } catch (RuntimeException e) {
                LOG.warnf("Could not renew the lease of run %s (expires %s): %s", claim.runId(),
                        current[0].expiresAt(), e.getMessage());
            }
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = renewals.put(claim.runId(), renewal);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** Stops renewing; the lease then expires by itself (a finished or released run needs none). */
    public void stop(Claim claim) {
        ScheduledFuture<?> renewal = renewals.remove(claim.runId());
        if (renewal != null) {
            renewal.cancel(false);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        beats.shutdownNow();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
