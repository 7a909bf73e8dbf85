package io.tuneforge.trainer.service;

import io.quarkus.runtime.StartupEvent;
import io.tuneforge.trainer.coordination.Claim;
import io.tuneforge.trainer.coordination.RunLedger;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this replica holds, and what the run log says about them while they train: a cancel request reaches the
 * run's {@link io.tuneforge.tuning.train.CancellationToken} (on whichever replica received the cancel command), a
 * newer claim by another replica marks the run lost.
 */
@ApplicationScoped
public class ActiveRuns implements RunLog.Listener {

    private static final Logger LOG = Logger.getLogger(ActiveRuns.class);

    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final RunLog log;

    public ActiveRuns(RunLog log) {
        this.log = log;
    }

    void onStart(@Observes StartupEvent event) {
        log.addListener(this);
    }

    public ActiveRun add(Claim claim, boolean cancelOnly) {
        ActiveRun run = new ActiveRun(claim, cancelOnly);
        runs.put(claim.runId(), run);
        // a cancel may have been applied between the claim's verdict and now
        log.ledger().get(claim.runId()).map(e -> e.cancelReason()).ifPresent(run.token()::cancel);
        return run;
    }

    public void remove(ActiveRun run) {
        runs.remove(run.runId(), run);
    }

    public boolean holds(String runId) {
        return runs.containsKey(runId);
    }

    public Collection<ActiveRun> all() {
        return List.copyOf(runs.values());
    }

    /** Runs taking a training slot (not the ones claimed only to be cancelled). */
    public int training() {
        return (int) runs.values().stream().filter(r -> !r.cancelOnly()).count();
    }

    @Override
    public void onApplied(RunLogEntry entry, RunLedger.Verdict verdict) {
        ActiveRun run = runs.get(entry.runId());
        if (run == null || !verdict.accepted()) {
            return;
        }
        if (entry.kind() == RunLogEntry.Kind.CLAIMED && !entry.entryId().equals(run.claim().claimId())) {
            String why = entry.worker() + " claimed it as attempt " + entry.epoch() + " after this replica's lease"
                    + " expired";
            LOG.warnf("Run %s lost: %s; stopping without publishing", entry.runId(), why);
            run.lose(why);
        } else if (entry.kind() == RunLogEntry.Kind.CANCEL_REQUESTED) {
            LOG.infof("Run %s: cancel requested (%s); stopping after the current step", entry.runId(),
                    entry.reason());
            run.token().cancel(entry.reason() == null || entry.reason().isBlank() ? "cancelled on request"
                    : entry.reason());
        }
    }
}
