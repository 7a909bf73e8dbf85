package io.tuneforge.trainer.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.coordination.Claim;
import io.tuneforge.trainer.coordination.LeaseKeeper;
import io.tuneforge.trainer.coordination.LeaseStore;
import io.tuneforge.trainer.coordination.RunEntry;
import io.tuneforge.trainer.coordination.RunLedger;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every replica, every {@code tuneforge.trainer.scan-interval}: look at the unfinished runs of the run log, oldest
 * first, and claim what this replica may take —
 * <ul>
 *   <li>a run with a cancel request that nobody alive holds (no slot needed: it only gets its Cancelled);</li>
 *   <li>while a training slot is free ({@code max-concurrent-runs}): a queued or handed-back run, or a run whose
 *       holder's lease expired (the holder died; the run resumes from its last checkpoint in the store).</li>
 * </ul>
 * A claim is a record in the run log; if another replica's claim of the same attempt came first, this one is
 * rejected and the next run is tried. Claimed runs train on a worker thread, so the Kafka consumer of the command
 * topic never blocks on training and long runs cause no consumer-group rebalances. Also sends again the terminal
 * event of a run whose finisher died before confirming it ({@link RunFinisher#republish}).
 * <p>
 * On shutdown, each training run is asked to stop after its current step, its checkpoint is uploaded and the run is
 * handed back, so another replica resumes it without waiting for the lease to expire.
 */
@ApplicationScoped
public class RunScheduler {

    private static final Logger LOG = Logger.getLogger(RunScheduler.class);

    private final RunLog log;
    private final ActiveRuns active;
    private final LeaseStore leaseStore;
    private final LeaseKeeper leases;
    private final RunExecutor executor;
    private final RunFinisher finisher;
    private final TrainerConfig config;
    private ScheduledExecutorService ticker;
    private ExecutorService workers;

    public RunScheduler(RunLog log, ActiveRuns active, LeaseStore leaseStore, LeaseKeeper leases,
                        RunExecutor executor, RunFinisher finisher, TrainerConfig config) {
        this.log = log;
        this.active = active;
        this.leaseStore = leaseStore;
        this.leases = leases;
        this.executor = executor;
        this.finisher = finisher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        workers = Executors.newFixedThreadPool(Math.max(1, config.maxConcurrentRuns()), r -> new Thread(r,
                "training-run"));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-scheduler");
            t.setDaemon(true);
            return t;
        });
        long every = config.scanInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Trainer %s: %d training slot(s), scanning every %d ms, lease TTL %s", config.worker(),
                config.maxConcurrentRuns(), every, config.lease().ttl());
    }

    /** Stops claiming, hands the training runs back after their current step and waits for them. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        active.all().forEach(ActiveRun::handBack);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warnf("Runs still training after 60 s of shutdown: %s; their leases will expire",
                        active.all().stream().map(ActiveRun::runId).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One scan; public for tests that do not want to wait for the next tick. */
    public void tick() {
        try {
            if (!log.isCaughtUp()) {
                return;
            }
            Instant now = Instant.now();
            republishStale(now);
            for (RunEntry run : log.ledger().unfinished()) {
                if (active.holds(run.runId())) {
                    continue;
                }
                boolean cancelOnly = run.cancelReason() != null;
                if (!cancelOnly && active.training() >= config.maxConcurrentRuns()) {
                    continue;
                }
                if (!leaseStore.claimable(run, now)) {
                    continue;
                }
                claim(run, cancelOnly);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Run scan failed (%s); next scan in %s", e.getMessage(), config.scanInterval());
        }
    }

    private void claim(RunEntry run, boolean cancelOnly) {
        RunLogEntry claim = RunLogEntry.claimed(run.runId(), run.epoch() + 1, config.worker(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        RunLedger.Verdict verdict = log.write(claim);
        if (!verdict.accepted()) {
            LOG.debugf("Claim of run %s not accepted: %s", run.runId(), verdict.reason());
            return;
        }
        Claim held = new Claim(claim.runId(), claim.epoch(), claim.entryId(), claim.worker(), claim.at());
        ActiveRun activeRun = active.add(held, cancelOnly);
        leases.start(held);
        String from = run.holder() == null ? "queued" : run.released() ? "handed back by " + run.holder().worker()
                : "lease of " + run.holder().worker() + " expired";
        LOG.infof("Claimed run %s as attempt %d (%s)%s", run.runId(), held.epoch(), from,
                cancelOnly ? " to cancel it: " + run.cancelReason() : "");
        if (cancelOnly) {
            executor.cancelWithoutTraining(activeRun, run.cancelReason());
        } else {
            workers.submit(() -> executor.execute(activeRun));
        }
    }

    /** Terminal events whose finisher has had a lease's time to confirm them and did not. */
    private void republishStale(Instant now) {
        for (RunEntry run : log.ledger().unpublished()) {
            if (active.holds(run.runId()) || run.finishedAt() == null || run.finishEvent() == null
                    || !now.isAfter(run.finishedAt().plus(config.lease().ttl()))) {
                continue;
            }
            try {
                finisher.republish(run);
            } catch (RuntimeException e) {
                LOG.warnf("Could not send the terminal event of run %s again: %s", run.runId(), e.getMessage());
            }
        }
    }
}
