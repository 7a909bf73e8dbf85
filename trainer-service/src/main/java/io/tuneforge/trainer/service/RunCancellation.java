package io.tuneforge.trainer.service;

import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.messaging.TrainingEventPublisher;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.trainer.persistence.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Cancels a run. A queued run is cancelled at once ({@code state.json} → cancelled, {@code TrainingCancelled} with
 * step 0 and no checkpoint). A cancel of an unknown or finished run is logged and answered with nothing: there is
 * nothing to stop, and a second cancel of the same run changes nothing. Stopping a running run after its current
 * step arrives with the training loop.
 */
@ApplicationScoped
public class RunCancellation {

    private static final Logger LOG = Logger.getLogger(RunCancellation.class);

    private final RunRepository runs;
    private final TrainingEventPublisher events;
    private final TrainerConfig config;

    public RunCancellation(RunRepository runs, TrainingEventPublisher events, TrainerConfig config) {
        this.runs = runs;
        this.events = events;
        this.config = config;
    }

    public void cancel(String eventId, TrainingCancelRequested command) {
        String runId = command.runId();
        Optional<RunState> state = runs.findState(runId);
        if (state.isEmpty()) {
            LOG.warnf("Cancel of run %s (event %s) ignored: no such run (no %s)", runId, eventId,
                    io.tuneforge.contracts.storage.ObjectKeys.runState(runId));
            return;
        }
        TrainingStatus status = state.get().status();
        if (status.isTerminal()) {
            LOG.infof("Cancel of run %s (event %s) ignored: the run is already %s", runId, eventId, status.wireName());
            return;
        }
        if (status != TrainingStatus.QUEUED) {
            LOG.warnf("Cancel of run %s (event %s) not applied: the run is %s, and stopping a %s run belongs to the"
                    + " replica that runs it", runId, eventId, status.wireName(), status.wireName());
            return;
        }
        String reason = command.reason() == null || command.reason().isBlank() ? "cancelled on request" : command.reason();
        runs.saveState(state.get().transition(TrainingStatus.CANCELLED, reason, config.worker(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        events.publish(new TrainingCancelled(1, runId, 0, null, reason));
        LOG.infof("Run %s cancelled while queued: %s", runId, reason);
    }
}
