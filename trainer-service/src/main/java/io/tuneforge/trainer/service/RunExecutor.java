package io.tuneforge.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageException;
import io.tuneforge.trainer.config.DjlRuntime;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.coordination.LeaseKeeper;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import io.tuneforge.trainer.coordination.RunLogException;
import io.tuneforge.trainer.messaging.TrainingEventPublisher;
import io.tuneforge.trainer.metrics.TrainerMetrics;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.trainer.persistence.RunState;
import io.tuneforge.trainer.training.DeviceBudget;
import io.tuneforge.trainer.training.Recipe;
import io.tuneforge.trainer.training.RunFailure;
import io.tuneforge.trainer.training.RunExport;
import io.tuneforge.trainer.training.RunInputs;
import io.tuneforge.trainer.training.Workspace;
import io.tuneforge.tuning.train.Checkpoint;
import io.tuneforge.tuning.train.MetricsLog;
import io.tuneforge.tuning.train.TrainingDivergedException;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.train.TrainingSetup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a claimed run, on a worker thread (never on the Kafka consumer's):
 * <pre>
 * state.json running → fetch dataset, base model (cached) and the latest checkpoint → Recipe (SFT, DPO, ORPO)
 *   → Started, Progress…, Checkpointed… (RunReporter) → adapter/ or model/ uploaded → Completed
 *   | cancelled: last checkpoint uploaded → Cancelled     | handed back (shutdown): checkpoint uploaded → released
 *   | NaN: Failed(TRAINING_DIVERGED)                      | lost to another replica: nothing
 * </pre>
 * Terminal events go through {@link RunFinisher} (exactly once).
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final RunLog log;
    private final ActiveRuns active;
    private final LeaseKeeper leases;
    private final RunRepository runs;
    private final Workspace workspace;
    private final RunFinisher finisher;
    private final TrainingEventPublisher events;
    private final TrainerMetrics metrics;
    private final DeviceBudget budget;
    private final ArtifactStore store;
    private final TrainerConfig config;

    public RunExecutor(RunLog log, ActiveRuns active, LeaseKeeper leases, RunRepository runs, Workspace workspace,
                       RunFinisher finisher, TrainingEventPublisher events, TrainerMetrics metrics,
                       DeviceBudget budget, ArtifactStore store, TrainerConfig config) {
        this.log = log;
        this.active = active;
        this.leases = leases;
        this.runs = runs;
        this.workspace = workspace;
        this.finisher = finisher;
        this.events = events;
        this.metrics = metrics;
        this.budget = budget;
        this.store = store;
        this.config = config;
    }

    /** Trains the run to its end (or until cancelled, handed back or lost). */
    public void execute(ActiveRun run) {
        String runId = run.runId();
        long step = 0;
        TrainingRequest request = null;
        try {
            request = runs.findRequest(runId).orElseThrow(() -> new RunFailure(TrainingErrorCode.INTERNAL_ERROR,
                    store.uri(ObjectKeys.runRequest(runId)) + " is missing, so the run cannot start; submit the"
                            + " request again under a new runId"));
            Optional<RunState> state = runs.findState(runId);
            if (state.isEmpty()) {
                finisher.abandon(run, store.uri(ObjectKeys.runState(runId)) + " is missing: its admission failed"
                        + " after the run log took it, and the requester was told to send it again");
                return;
            }
            runs.saveState(state.get().running(config.worker(), run.claim().epoch(), now()));
            RunInputs inputs = workspace.prepare(request);
            step = inputs.resumedStep();
            TrainingSetup setup = new TrainingSetup(request, inputs.baseModel(), inputs.trainData(),
                    inputs.evalData(), inputs.outputDir(), inputs.resumeFrom(), budget.device());
            RunReporter reporter = new RunReporter(run, inputs.outputDir(), new RunReporter.Placement(
                    budget.deviceName(), budget.computeDtype(), DjlRuntime.computeThreads(), budget.memoryBytes(),
                    config.worker()), store, runs, events, metrics, config.progress());
            TrainingResult result;
            long t0 = System.nanoTime();
            try (Recipe recipe = Recipe.open(setup)) {
                LOG.infof("Run %s attempt %d: %s/%s on %s, %d records (%d skipped), %s", runId,
                        run.claim().epoch(), request.method().wireName(), request.adapter().wireName(),
                        budget.deviceName(), recipe.trainRecords(), recipe.skippedRecords(),
                        inputs.resumeFrom() == null ? "fresh start" : "resuming from step " + inputs.resumedStep());
                result = recipe.train(reporter, run.token());
            }
            step = result.globalStep();
            if (run.isLost()) {
                LOG.warnf("Run %s stopped at step %d without publishing: %s", runId, step, run.lostReason());
            } else if (result.cancelled() && run.isHandedBack()) {
                handBack(run, step);
            } else if (result.cancelled()) {
                finisher.finish(run, TrainingStatus.CANCELLED, new TrainingCancelled(1, runId, step,
                        reporter.lastCheckpoint(), result.cancelReason()), null, result.cancelReason(), step);
            } else {
                complete(run, request, result, reporter, inputs, (System.nanoTime() - t0) / 1e9);
            }
        } catch (TrainingDivergedException e) {
            fail(run, request, TrainingErrorCode.TRAINING_DIVERGED, "Training diverged at step " + e.step()
                    + ": loss " + e.loss() + ", gradient norm " + e.gradNorm() + " (both must be finite). That step"
                    + " was not applied and the checkpoints before it are finite. Submit a new run with a lower"
                    + " hyperparameters.learningRate (now " + request.hyperparameters().learningRate() + ") or a"
                    + " smaller hyperparameters.maxGradNorm (now " + request.hyperparameters().maxGradNorm()
                    + "); if it diverges at step 1, check the base model's weights for NaN.", e.step() - 1);
        } catch (RunFailure e) {
            fail(run, request, e.code(), e.getMessage(), step);
        } catch (StorageException e) {
            fail(run, request, TrainingErrorCode.INFRASTRUCTURE_ERROR, "The object store failed during run "
                    + runId + ": " + e.getMessage() + ". Its checkpoints up to step " + step + " are kept.", step);
        } catch (RunLogException e) {
            LOG.errorf("Run %s: the run log failed (%s); the lease will expire and another replica retries",
                    runId, e.getMessage());
        } catch (OutOfMemoryError e) {
            fail(run, request, TrainingErrorCode.INSUFFICIENT_MEMORY, "Run " + runId + " ran out of memory ("
                    + e.getMessage() + "). Submit it with a smaller batchSize or maxSeqLength, adapter lora or"
                    + " qlora, or run the trainer with more memory.", step);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Run %s failed", runId);
            fail(run, request, TrainingErrorCode.INTERNAL_ERROR, "Run " + runId + " failed: " + e
                    + ". Its checkpoints are kept in " + store.uri(ObjectKeys.runCheckpointsPrefix(runId)), step);
        } finally {
            leases.stop(run.claim());
            active.remove(run);
            workspace.cleanup(runId);
        }
    }

    /**
     * Ends a run claimed only to be cancelled (the cancel came while it waited, or after its holder died):
     * {@code TrainingCancelled} with the last checkpoint in the store.
     */
    public void cancelWithoutTraining(ActiveRun run, String reason) {
        String runId = run.runId();
        try {
            Optional<Long> checkpoint = workspace.latestCheckpoint(runId);
            ArtifactRef ref = checkpoint.map(s -> ArtifactRef.prefix(store.uri(ObjectKeys.runCheckpoint(runId, s))
                    .toString())).orElse(null);
            long step = checkpoint.orElse(0L);
            if (finisher.finish(run, TrainingStatus.CANCELLED, new TrainingCancelled(1, runId, step, ref, reason),
                    null, reason, step)) {
                LOG.infof("Run %s cancelled before it trained on this replica (step %d): %s", runId, step, reason);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Run %s: cancel could not be finished; the lease will expire and another replica retries",
                    runId);
        } finally {
            leases.stop(run.claim());
            active.remove(run);
        }
    }

    private void complete(ActiveRun run, TrainingRequest request, TrainingResult result, RunReporter reporter,
                          RunInputs inputs, double seconds) {
        String runId = run.runId();
        Path output = inputs.outputDir();
        ArtifactRef adapter = null;
        ArtifactRef model = null;
        if (result.artifacts().getFileName().toString().equals(Checkpoint.ADAPTER_DIR)) {
            String prefix = ObjectKeys.runAdapter(runId);
            store.publish(result.artifacts(), prefix, "adapter_config.json");
            adapter = ArtifactRef.prefix(store.uri(prefix).toString());
        } else {
            String prefix = ObjectKeys.runPrefix(runId) + Checkpoint.MODEL_DIR + "/";
            store.publish(result.artifacts(), prefix, "config.json");
            model = ArtifactRef.prefix(store.uri(prefix).toString());
        }
        reporter.uploadMetrics();
        RunExport.Published exported = new RunExport.Published(null, null);
        if (RunExport.requested(request.export())) {
            exported = RunExport.run(store, runId, request.export(), inputs.baseModel(), result.artifacts(),
                    adapter != null, output.resolve("export"), adapter != null ? adapter.uri() : model.uri());
        }
        Map<String, Double> finalMetrics = new LinkedHashMap<>();
        finalMetrics.put("trainLoss", result.lastLoss());
        if (result.evalLoss() != null) {
            finalMetrics.put("evalLoss", result.evalLoss());
        }
        reporter.preferenceMetrics().forEach(finalMetrics::putIfAbsent);
        if (reporter.lastStep() != null) {
            finalMetrics.put("tokensPerSecond", reporter.lastStep().tokensPerSecond());
        }
        double duration = runs.findState(runId).map(RunState::startedAt)
                .map(started -> Duration.between(started, Instant.now()).toMillis() / 1000.0).orElse(seconds);
        TrainingCompleted completed = new TrainingCompleted(1, runId, request, adapter,
                exported.merged() != null ? exported.merged() : model, exported.gguf(), finalMetrics,
                trainedTokens(output.resolve(MetricsLog.FILE_NAME)), result.globalStep(), duration);
        if (finisher.finish(run, TrainingStatus.SUCCEEDED, completed, null, "trained " + result.globalStep()
                + " steps", result.globalStep())) {
            LOG.infof("Run %s completed: %d steps, loss %.4f, %s", runId, result.globalStep(), result.lastLoss(),
                    adapter != null ? adapter.uri() : model.uri());
        }
    }

    /** Shutting down: the run's last checkpoint is in the store; give it back so another replica resumes at once. */
    private void handBack(ActiveRun run, long step) {
        runs.findState(run.runId()).ifPresent(s -> runs.saveState(s.transition(TrainingStatus.QUEUED,
                "handed back at step " + step + " by " + config.worker() + " (shutting down); resumes from its last"
                        + " checkpoint", config.worker(), now())));
        log.write(RunLogEntry.released(run.claim(), ActiveRun.SHUTDOWN, now()));
        LOG.infof("Run %s handed back at step %d", run.runId(), step);
    }

    private void fail(ActiveRun run, TrainingRequest request, TrainingErrorCode code, String message, long step) {
        LOG.errorf("Run %s failed (%s): %s", run.runId(), code, message);
        try {
            finisher.finish(run, TrainingStatus.FAILED, TrainingFailed.of(run.runId(), code, message, List.of(),
                    request), code, message, Math.max(0, step));
        } catch (RuntimeException e) {
            LOG.errorf("Run %s: could not publish its failure (%s); the lease will expire and another replica"
                    + " retries", run.runId(), e.getMessage());
        }
    }

    /** Σ target tokens of the train lines of {@code metrics.jsonl} (every attempt's steps, each once). */
    static long trainedTokens(Path metrics) {
        if (!Files.exists(metrics)) {
            return 0;
        }
        long sum = 0;
        try {
            for (String line : Files.readAllLines(metrics)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(line);
                if ("train".equals(node.path("type").asText())) {
                    sum += node.path("targetTokens").asLong();
                }
            }
        } catch (IOException e) {
            LOG.warnf("Could not count trained tokens in %s: %s", metrics, e.getMessage());
        }
        return sum;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
