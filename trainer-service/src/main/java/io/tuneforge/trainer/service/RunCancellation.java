package io.tuneforge.trainer.service;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.coordination.RunLedger;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.trainer.persistence.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Cancels a run, whichever replica receives the command: a {@code cancel-requested} record goes to the run log, and
 * <ul>
 *   <li>the replica training the run sees it and stops after the current step: the checkpoint of that step is
 *       uploaded, then {@code TrainingCancelled} with it ({@link RunExecutor});</li>
 *   <li>a queued run (or one whose holder died) is claimed by the next scan of any replica just to end it:
 *       {@code TrainingCancelled} with the last checkpoint in the store (step 0 and none for a run that never
 *       trained).</li>
 * </ul>
 * A cancel of an unknown or finished run is logged and answered with nothing; a second cancel of the same run
 * changes nothing (the run log accepts one cancel per run).
 */
@ApplicationScoped
public class RunCancellation {

    private static final Logger LOG = Logger.getLogger(RunCancellation.class);

    private final RunRepository runs;
    private final RunLog log;
    private final TrainerConfig config;

    public RunCancellation(RunRepository runs, RunLog log, TrainerConfig config) {
        this.runs = runs;
        this.log = log;
        this.config = config;
    }

    public void cancel(String eventId, TrainingCancelRequested command) {
        String runId = command.runId();
        Optional<RunState> state = runs.findState(runId);
        if (state.isEmpty()) {
            LOG.warnf("Cancel of run %s (event %s) ignored: no such run (no %s)", runId, eventId,
                    ObjectKeys.runState(runId));
            return;
        }
        if (state.get().status().isTerminal()) {
            LOG.infof("Cancel of run %s (event %s) ignored: the run is already %s", runId, eventId,
                    state.get().status().wireName());
            return;
        }
        String reason = command.reason() == null || command.reason().isBlank() ? "cancelled on request"
                : command.reason();
        RunLedger.Verdict verdict = log.write(RunLogEntry.cancelRequested(runId, reason, config.worker(), now()));
        if (!verdict.accepted() && log.ledger().get(runId).isEmpty()) {
            // queued but not in the run log (its enqueue was lost): put it there, then cancel it
            log.write(RunLogEntry.enqueued(runId, config.worker(), now()));
            verdict = log.write(RunLogEntry.cancelRequested(runId, reason, config.worker(), now()));
        }
        if (verdict.accepted()) {
            LOG.infof("Cancel of run %s (event %s) requested: %s", runId, eventId, reason);
        } else {
            LOG.infof("Cancel of run %s (event %s) changes nothing: %s", runId, eventId, verdict.reason());
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
