package io.tuneforge.trainer.service;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingStarted;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.messaging.TrainingEventPublisher;
import io.tuneforge.trainer.metrics.TrainerMetrics;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.tuning.preference.PreferenceCallback;
import io.tuneforge.tuning.train.Checkpoint;
import io.tuneforge.tuning.train.MetricsLog;
import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.TrainingPlan;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one attempt's training callbacks into what the platform sees, on the training thread and in order:
 * <ul>
 *   <li>begin → {@code TrainingStarted} (device, dtype, threads, memory, total steps, resumed-from step, worker);</li>
 *   <li>step → metrics; {@code TrainingProgress} every {@code progress.every-steps} steps or
 *       {@code progress.every-seconds} (and at the last step), each time with {@code metrics.jsonl} uploaded;</li>
 *   <li>checkpoint → the directory uploaded to {@code runs/{runId}/checkpoints/step-{n}/} with
 *       {@code trainer_state.json} last (a reader that sees it sees every file), {@code metrics.jsonl} and
 *       {@code state.json} updated, then {@code TrainingCheckpointed}.</li>
 * </ul>
 * Once the run is lost to another replica nothing more is uploaded or sent.
 */
final class RunReporter implements PreferenceCallback {

    private static final Logger LOG = Logger.getLogger(RunReporter.class);

    /** What {@code TrainingStarted} says about where the run trains. */
    record Placement(String device, String computeDtype, int threads, long maxMemoryBytes, String worker) {
    }

    private final ActiveRun run;
    private final Path outputDir;
    private final Placement placement;
    private final ArtifactStore store;
    private final RunRepository runs;
    private final TrainingEventPublisher events;
    private final TrainerMetrics metrics;
    private final TrainerConfig.Progress throttle;
    private long lastProgressStep;
    private long lastProgressNanos = System.nanoTime();
    private long lastEvalStep = -1;
    private double lastEvalLoss;
    private StepMetrics lastStep;
    private ArtifactRef lastCheckpoint;
    private long lastCheckpointStep = -1;
    private final Map<String, Double> preferenceMetrics = new LinkedHashMap<>();

    RunReporter(ActiveRun run, Path outputDir, Placement placement, ArtifactStore store, RunRepository runs,
                TrainingEventPublisher events, TrainerMetrics metrics, TrainerConfig.Progress throttle) {
        this.run = run;
        this.outputDir = outputDir;
        this.placement = placement;
        this.store = store;
        this.runs = runs;
        this.events = events;
        this.metrics = metrics;
        this.throttle = throttle;
    }

    @Override
    public void onTrainBegin(TrainingPlan plan, long startStep) {
        lastProgressStep = startStep;
        lastProgressNanos = System.nanoTime();
        if (run.isLost()) {
            return;
        }
        events.publish(new TrainingStarted(1, run.runId(), placement.device(), placement.computeDtype(),
                placement.threads(), placement.maxMemoryBytes(), plan.totalSteps(), startStep, placement.worker()));
    }

    @Override
    public void onStep(StepMetrics m) {
        lastStep = m;
        metrics.step(m.tokens() / Math.max(m.tokensPerSecond(), 1e-9), m.tokensPerSecond(), m.targetTokens());
        boolean due = m.step() - lastProgressStep >= throttle.everySteps()
                || System.nanoTime() - lastProgressNanos >= throttle.everySeconds().toNanos()
                || m.step() == m.totalSteps();
        if (!due || run.isLost()) {
            return;
        }
        lastProgressStep = m.step();
        lastProgressNanos = System.nanoTime();
        uploadMetrics();
        events.publish(new TrainingProgress(1, run.runId(), m.step(), m.totalSteps(), m.epoch(), m.loss(),
                lastEvalStep == m.step() ? lastEvalLoss : null, m.learningRate(), m.gradNorm(), m.tokensPerSecond(),
                (double) m.step() / m.totalSteps(), m.etaSeconds()));
    }

    @Override
    public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
        lastEvalStep = step;
        lastEvalLoss = evalLoss;
    }

    @Override
    public void onPreferenceMetrics(long step, Map<String, Double> values) {
        preferenceMetrics.putAll(values);
    }

    @Override
    public void onPreferenceEval(long step, Map<String, Double> values) {
        preferenceMetrics.putAll(values);
    }

    @Override
    public void onCheckpoint(long step, Path checkpoint) {
        if (run.isLost()) {
            LOG.infof("Run %s lost; checkpoint of step %d stays local", run.runId(), step);
            return;
        }
        String prefix = ObjectKeys.runCheckpoint(run.runId(), step);
        long t0 = System.nanoTime();
        store.publish(checkpoint, prefix, Checkpoint.TRAINER_STATE_FILE);
        uploadMetrics();
        ArtifactRef ref = ArtifactRef.prefix(store.uri(prefix).toString());
        runs.findState(run.runId()).ifPresent(s -> runs.saveState(s.checkpointed(step, ref.uri(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS))));
        lastCheckpoint = ref;
        lastCheckpointStep = step;
        LOG.infof("Run %s: checkpoint of step %d uploaded to %s in %.2f s", run.runId(), step, ref.uri(),
                (System.nanoTime() - t0) / 1e9);
        events.publish(new TrainingCheckpointed(1, run.runId(), step, ref));
    }

    /** {@code metrics.jsonl} of the output directory to {@code runs/{runId}/metrics.jsonl}. */
    void uploadMetrics() {
        Path file = outputDir.resolve(MetricsLog.FILE_NAME);
        if (Files.exists(file)) {
            store.put(ObjectKeys.runMetrics(run.runId()), file);
        }
    }

    /** The last checkpoint uploaded by this attempt, or null. */
    ArtifactRef lastCheckpoint() {
        return lastCheckpoint;
    }

    long lastCheckpointStep() {
        return lastCheckpointStep;
    }

    /** The last step's metrics, or null before the first step. */
    StepMetrics lastStep() {
        return lastStep;
    }

    /** The last eval loss measured, or null. */
    Double lastEvalLoss() {
        return lastEvalStep < 0 ? null : lastEvalLoss;
    }

    /** DPO/ORPO metrics of the last step and evaluation (TRL's names), empty for SFT. */
    Map<String, Double> preferenceMetrics() {
        return preferenceMetrics;
    }
}
