package io.tuneforge.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.ModelNames;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.messaging.TrainingCommands;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import io.tuneforge.registry.persistence.TagRepository;
import io.tuneforge.registry.persistence.TagTarget;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.servicekit.messaging.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Training requests and cancellations from the API and the UI. A submitted request is recorded as a run in status
 * {@code validating} (with a {@code io.tuneforge.training.requested} entry on its timeline) before the command is
 * published, so the run shows at once; trainer-service's events move it on from there. When the broker does not
 * take the command, the run is removed again and the caller gets a 503.
 */
@ApplicationScoped
public class RunSubmissions {

    /** Run tag naming who submitted or cancelled a run. */
    public static final String SUBMITTED_BY_TAG = "submitted-by";

    private static final Logger LOG = Logger.getLogger(RunSubmissions.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunRepository runs;
    private final RunEventRepository timeline;
    private final TagRepository tags;
    private final TrainingCommands commands;
    private final EventSource source;
    private final Event<RegistryChanged> changes;

    public RunSubmissions(RunRepository runs, RunEventRepository timeline, TagRepository tags,
                          TrainingCommands commands, EventSource source, Event<RegistryChanged> changes) {
        this.runs = runs;
        this.timeline = timeline;
        this.tags = tags;
        this.commands = commands;
        this.source = source;
        this.changes = changes;
    }

    /**
     * Records and publishes a valid request.
     *
     * @param request     a request that passed TrainingRequests.parse without errors
     * @param submittedBy the caller's name, kept as the run's {@value #SUBMITTED_BY_TAG} tag; null for none
     * @return the published command (its data holds the run id)
     * @throws ProblemException 409 when the run id is taken, 503 when the broker did not take the command
     */
    public EventEnvelope<TrainingRequest> submit(TrainingRequest request, String submittedBy) {
        String runId = request.runId() != null ? request.runId() : newRunId();
        EventEnvelope<TrainingRequest> command = source.envelope(request.withRunId(runId));
        QuarkusTransaction.requiringNew().run(() -> record(command, submittedBy));
        try {
            commands.send(command);
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> {
                runs.deleteById(runId); // its timeline goes with it (ON DELETE CASCADE)
                tags.remove(TagTarget.RUN, runId, SUBMITTED_BY_TAG);
            });
            LOG.warnf("Training request %s was not published (%s); the run is removed again", runId, e.getMessage());
            throw ProblemException.unavailable("The training request could not be published to the broker ("
                    + e.getMessage() + "); nothing was submitted, try again shortly");
        }
        LOG.infof("Submitted training request %s for model %s", runId, command.data().modelName());
        changes.fire(new RegistryChanged(runId, null));
        return command;
    }

    /**
     * Asks trainer-service to stop the run after its current step.
     *
     * @throws ProblemException 404 for an unknown run, 409 for a run that already ended, 503 without a broker
     */
    public EventEnvelope<TrainingCancelRequested> cancel(String runId, String reason, String requestedBy) {
        RunEntity run = QuarkusTransaction.requiringNew().call(() -> runs.findById(runId));
        if (run == null) {
            throw ProblemException.notFound("No run with id '" + runId + "'; GET /api/runs lists the runs the"
                    + " registry knows");
        }
        if (run.status.isTerminal()) {
            throw ProblemException.conflict("Run '" + runId + "' already " + run.status.wireName()
                    + "; only validating, queued or running runs can be cancelled");
        }
        String why = reason == null || reason.isBlank()
                ? "cancelled" + (requestedBy == null ? "" : " by " + requestedBy) : reason.trim();
        EventEnvelope<TrainingCancelRequested> command = source.envelope(TrainingCancelRequested.of(runId, why));
        try {
            commands.send(command);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("The cancel request could not be published to the broker ("
                    + e.getMessage() + "); try again shortly");
        }
        QuarkusTransaction.requiringNew().run(() -> timeline.persist(entry(command, runId)));
        LOG.infof("Requested cancellation of run %s: %s", runId, why);
        changes.fire(new RegistryChanged(runId, null));
        return command;
    }

    private void record(EventEnvelope<TrainingRequest> command, String submittedBy) {
        TrainingRequest request = command.data();
        String runId = request.runId();
        if (runs.findById(runId) != null) {
            throw ProblemException.conflict("Run id '" + runId + "' is taken; choose another or leave runId out to"
                    + " have one generated");
        }
        RunEntity run = new RunEntity();
        run.runId = runId;
        run.status = TrainingStatus.VALIDATING;
        run.request = Json.write(request);
        run.baseModel = request.baseModel();
        run.modelName = request.modelName() != null ? request.modelName()
                : ModelNames.fromBaseModel(request.baseModel());
        if (request.dataset() != null && request.dataset().isRegistered()) {
            run.datasetId = request.dataset().id();
            run.datasetVersion = request.dataset().version();
        }
        run.createdAt = command.time();
        run.updatedAt = command.time();
        runs.persist(run);
        timeline.persist(entry(command, runId));
        if (submittedBy != null) {
            tags.set(TagTarget.RUN, runId, SUBMITTED_BY_TAG, submittedBy, command.time());
        }
    }

    private static RunEventEntity entry(EventEnvelope<? extends EventPayload> command, String runId) {
        RunEventEntity e = new RunEventEntity();
        e.eventId = command.id();
        e.runId = runId;
        e.type = command.type().type();
        e.time = command.time();
        e.payload = Json.write(command.data());
        return e;
    }

    /** {@code run-20261129-101530-3f9a1c}: sortable by time, unique by its random tail. */
    static String newRunId() {
        byte[] tail = new byte[3];
        RANDOM.nextBytes(tail);
        return "run-" + RUN_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(tail);
    }
}
