package io.tuneforge.trainer.service;

import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.storage.StorageException;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import io.tuneforge.trainer.coordination.RunLogException;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.messaging.TrainingEventPublisher;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.trainer.persistence.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Admits a training request: {@code validating → queued}, or {@code failed} with a reason a person can act on.
 * <ol>
 *   <li>Parse and validate the raw JSON; every bad field is named in one {@code TrainingFailed(INVALID_REQUEST)}.</li>
 *   <li>Refuse the local-run forms ({@link PlatformRequestRules}).</li>
 *   <li>Fill defaults; check that the dataset version and the base model are in the object store.</li>
 *   <li>Write {@code runs/{runId}/request.json} and {@code state.json} (queued), append {@code enqueued} to the run
 *       log, then emit {@code TrainingQueued}.</li>
 *   <li>Check that this trainer can run it ({@link RequestFeasibility}: method/adapter, dataset format, memory).</li>
 * </ol>
 * Admission is quick and never trains: the run is appended to the run log ({@code enqueued}) and a replica with a
 * free slot claims it there ({@link RunScheduler}).
 * <p>
 * Idempotent: a run whose state is queued, running or finished is not admitted again (a queued one is appended to
 * the run log again, which changes nothing if it is there), and a request without run id gets one derived from its
 * event id, so a redelivered event maps onto the same run.
 */
@ApplicationScoped
public class RunAdmission {

    private static final Logger LOG = Logger.getLogger(RunAdmission.class);

    private final RunRepository runs;
    private final ArtifactChecks artifacts;
    private final TrainingEventPublisher events;
    private final RequestFeasibility feasibility;
    private final RunLog log;
    private final TrainerConfig config;

    public RunAdmission(RunRepository runs, ArtifactChecks artifacts, TrainingEventPublisher events,
                        RequestFeasibility feasibility, RunLog log, TrainerConfig config) {
        this.runs = runs;
        this.artifacts = artifacts;
        this.events = events;
        this.feasibility = feasibility;
        this.log = log;
        this.config = config;
    }

    /**
     * Handles one training request carried by event {@code eventId}; the JSON is known to be an object. When the
     * object store fails, the request is answered with {@code TrainingFailed(INFRASTRUCTURE_ERROR)} and no state is
     * kept, so the same request can be sent again.
     */
    public void admit(String eventId, String json) {
        ParsedTrainingRequest parsed = TrainingRequests.parse(json);
        String runId = parsed.runId() != null ? parsed.runId() : generatedRunId(eventId);
        try {
            admit(eventId, parsed, runId);
        } catch (StorageException | RunLogException e) {
            String what = e instanceof RunLogException ? "The run log" : "The object store";
            String message = what + " failed while admitting run " + runId + ": " + e.getMessage()
                    + ". Send the request again once /q/health/ready reports UP.";
            events.publish(TrainingFailed.of(runId, TrainingErrorCode.INFRASTRUCTURE_ERROR, message, List.of(),
                    parsed.request() == null ? null : parsed.request().withRunId(runId)));
            LOG.errorf("Run %s not admitted: %s", runId, e.getMessage());
        }
    }

    private void admit(String eventId, ParsedTrainingRequest parsed, String runId) {
        boolean storable = ObjectKeys.isValidId(runId);
        if (storable) {
            Optional<RunState> existing = runs.findState(runId);
            if (existing.isPresent() && existing.get().blocksReadmission()) {
                LOG.infof("Run %s is already %s (request event %s); event %s changes nothing", runId,
                        existing.get().status().wireName(), existing.get().requestEventId(), eventId);
                if (existing.get().status() == TrainingStatus.QUEUED) {
                    // a crash between state.json and the run log must not strand the run
                    log.write(RunLogEntry.enqueued(runId, config.worker(), now()));
                }
                return;
            }
        }
        TrainingRequest request = parsed.request() == null ? null : parsed.request().withRunId(runId);
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        if (request != null) {
            errors.addAll(PlatformRequestRules.check(request));
        }
        if (!errors.isEmpty()) {
            String message = invalidMessage(errors) + (parsed.runId() != null ? " with a new runId." : ".");
            fail(runId, eventId, storable, TrainingErrorCode.INVALID_REQUEST, message, errors, request);
            return;
        }
        TrainingRequest filled = request.withDefaults();

        Optional<String> missingDataset = artifacts.missingDataset(filled.dataset());
        Optional<String> missingModel = artifacts.missingBaseModel(filled.baseModel());
        if (missingDataset.isPresent()) {
            String message = missingDataset.get() + missingModel.map(m -> " Also: " + m).orElse("");
            fail(runId, eventId, true, TrainingErrorCode.DATASET_NOT_FOUND, message, List.of(), filled);
            return;
        }
        if (missingModel.isPresent()) {
            fail(runId, eventId, true, TrainingErrorCode.BASE_MODEL_NOT_FOUND, missingModel.get(), List.of(), filled);
            return;
        }

        Optional<RequestFeasibility.Problem> problem = feasibility.check(filled);
        if (problem.isPresent()) {
            fail(runId, eventId, true, problem.get().code(), problem.get().message(), problem.get().fieldErrors(),
                    filled);
            return;
        }

        runs.saveRequest(filled);
        runs.saveState(RunState.queued(runId, eventId, config.worker(), now()));
        try {
            log.write(RunLogEntry.enqueued(runId, config.worker(), now()));
        } catch (RunLogException e) {
            runs.deleteState(runId); // not admitted after all: the same request may be sent again
            throw e;
        }
        events.publish(TrainingQueued.of(filled));
        LOG.infof("Run %s queued: %s %s on %s v%d from %s", runId, filled.method().wireName(),
                filled.adapter().wireName(), filled.dataset().id(), filled.dataset().version(), filled.baseModel());
    }

    /** {@code run-<uuid>} derived from the event id: the same event always names the same run. */
    public static String generatedRunId(String eventId) {
        return "run-" + UUID.nameUUIDFromBytes(("training-request:" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    private void fail(String runId, String eventId, boolean storable, TrainingErrorCode code, String message,
                      List<FieldError> errors, TrainingRequest request) {
        if (storable) {
            runs.saveState(RunState.failed(runId, eventId, code, message, config.worker(), now()));
        }
        events.publish(TrainingFailed.of(runId, code, message, errors, request));
        LOG.infof("Run %s refused (%s): %s", runId, code, message);
    }

    private static String invalidMessage(List<FieldError> errors) {
        return "The training request has " + errors.size() + (errors.size() == 1 ? " invalid field: " : " invalid fields: ")
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "))
                + ". Fix them and submit the request again";
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
