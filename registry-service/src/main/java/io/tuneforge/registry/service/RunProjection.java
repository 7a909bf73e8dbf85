package io.tuneforge.registry.service;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.ModelNames;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Folds training events into the {@code run} table and appends them to the run's timeline. Runs inside the
 * caller's transaction ({@link EventProcessor}); the status rules are {@link RunStatusTransitions}.
 */
@ApplicationScoped
public class RunProjection {

    private final RunRepository runs;
    private final RunEventRepository timeline;
    private final RunMetricProjection metrics;

    public RunProjection(RunRepository runs, RunEventRepository timeline, RunMetricProjection metrics) {
        this.runs = runs;
        this.timeline = timeline;
        this.metrics = metrics;
    }

    /**
     * Applies one training event.
     *
     * @throws IllegalArgumentException when the event is not a training event about a run
     */
    public void apply(EventEnvelope<? extends EventPayload> event) {
        TrainingStatus implied = RunStatusTransitions.impliedBy(event.type()).orElseThrow(() ->
                new IllegalArgumentException("Event " + event.id() + " of type " + event.type().type()
                        + " is not a training event; expected one of queued, started, progress, checkpointed,"
                        + " completed, failed, cancelled"));
        String runId = event.data().aggregateId();
        RunEntity run = runs.findById(runId);
        boolean isNew = run == null;
        if (isNew) {
            run = new RunEntity();
            run.runId = runId;
            run.createdAt = event.time();
            run.updatedAt = event.time();
        }
        TrainingStatus before = run.status;
        run.status = RunStatusTransitions.next(before, implied);
        if (event.time().isBefore(run.createdAt)) {
            run.createdAt = event.time();
        }
        if (event.time().isAfter(run.updatedAt)) {
            run.updatedAt = event.time();
        }

        if (isNew) {
            runs.persist(run); // before the rows that refer to it
        }

        EventPayload data = event.data();
        if (data instanceof TrainingQueued queued) {
            describe(run, queued.request(), true);
        } else if (data instanceof TrainingProgress progress) {
            metrics.apply(run, progress, event.time());
        } else if (data instanceof TrainingCompleted completed) {
            describe(run, completed.request(), true);
            if (run.status == TrainingStatus.SUCCEEDED) {
                run.step = Math.max(run.step == null ? 0 : run.step, completed.steps());
                run.progress = 1.0;
                run.etaSeconds = 0.0;
            }
        } else if (data instanceof TrainingFailed failed) {
            describe(run, failed.request(), false);
            if (run.status == TrainingStatus.FAILED && before != TrainingStatus.FAILED) {
                run.errorCode = failed.errorCode() == null ? null : failed.errorCode().name();
                run.errorMessage = failed.message();
                run.errorFields = failed.fieldErrors() == null || failed.fieldErrors().isEmpty()
                        ? null : Json.write(failed.fieldErrors());
            }
        }
        RunEventEntity entry = new RunEventEntity();
        entry.eventId = event.id();
        entry.runId = runId;
        entry.type = event.type().type();
        entry.time = event.time();
        entry.payload = Json.write(data);
        timeline.persist(entry);
    }

    /**
     * Copies what the request says about the run.
     *
     * @param authoritative true for the request as it ran (Queued, Completed: defaults filled in), which replaces
     *                      what is there; false for the request as received (Failed), which only fills gaps
     */
    private static void describe(RunEntity run, TrainingRequest request, boolean authoritative) {
        if (request == null || (!authoritative && run.request != null)) {
            return;
        }
        run.request = Json.write(request);
        run.baseModel = request.baseModel();
        run.modelName = request.modelName() != null ? request.modelName() : ModelNames.fromBaseModel(request.baseModel());
        if (request.dataset() != null && request.dataset().isRegistered()) {
            run.datasetId = request.dataset().id();
            run.datasetVersion = request.dataset().version();
        }
    }
}
