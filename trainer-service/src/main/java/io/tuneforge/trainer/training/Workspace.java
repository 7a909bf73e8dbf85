package io.tuneforge.trainer.training;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.tuning.train.Checkpoint;
import io.tuneforge.tuning.train.MetricsLog;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local directory of one attempt, {@code <work-dir>/runs/{runId}/}, filled from the store: the dataset
 * version's {@code train.jsonl} (and {@code eval.jsonl}), the base model (through the {@link ModelCache}), and — when
 * the run was interrupted before — its latest complete checkpoint and {@code metrics.jsonl}, so the recipe resumes
 * exactly where the store says it stopped. The store is the truth: the directory is emptied first.
 */
@ApplicationScoped
public class Workspace {

    private static final Logger LOG = Logger.getLogger(Workspace.class);
    private static final Pattern STEP = Pattern.compile(".*/step-(\\d+)/$");

    private final ArtifactStore store;
    private final ModelCache models;
    private final Path root;

    public Workspace(ArtifactStore store, ModelCache models, TrainerConfig config) {
        this.store = store;
        this.models = models;
        this.root = Path.of(config.workDir()).toAbsolutePath().resolve("runs");
    }

    /** Fetches everything attempt of {@code request} needs. */
    public RunInputs prepare(TrainingRequest request) {
        String runId = request.runId();
        Path dir = root.resolve(runId);
        deleteTree(dir);
        Path data = dir.resolve("data");
        Path output = dir.resolve("output");
        try {
            Files.createDirectories(data);
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        DatasetSpec dataset = request.dataset();
        String trainKey = ObjectKeys.datasetFile(dataset.id(), dataset.version(), ObjectKeys.TRAIN_FILE);
        Path train = data.resolve(ObjectKeys.TRAIN_FILE);
        try {
            store.downloadFile(trainKey, train);
        } catch (NoSuchObjectException e) {
            throw new RunFailure(TrainingErrorCode.DATASET_NOT_FOUND, "Dataset '" + dataset.id() + "' version "
                    + dataset.version() + " has no " + ObjectKeys.TRAIN_FILE + ": " + store.uri(trainKey)
                    + " does not exist. Prepare the dataset again with data-service and submit a new run.", e);
        }
        String evalKey = ObjectKeys.datasetFile(dataset.id(), dataset.version(), ObjectKeys.EVAL_FILE);
        Path eval = null;
        if (store.exists(evalKey)) {
            eval = store.downloadFile(evalKey, data.resolve(ObjectKeys.EVAL_FILE)).size() > 0
                    ? data.resolve(ObjectKeys.EVAL_FILE) : null;
        }
        Path model;
        try {
            model = models.fetch(request.baseModel());
        } catch (NoSuchObjectException e) {
            throw new RunFailure(TrainingErrorCode.BASE_MODEL_NOT_FOUND, "Base model " + request.baseModel()
                    + " is gone from the store: " + e.getMessage() + ". Upload it again under that prefix.", e);
        }
        Optional<Long> step = latestCheckpoint(runId);
        Path resume = null;
        if (step.isPresent()) {
            resume = Checkpoint.dir(output, step.get());
            store.download(ObjectKeys.runCheckpoint(runId, step.get()), resume);
            String metrics = ObjectKeys.runMetrics(runId);
            if (store.exists(metrics)) {
                store.downloadFile(metrics, output.resolve(MetricsLog.FILE_NAME));
            }
            LOG.infof("Run %s resumes from %s", runId, store.uri(ObjectKeys.runCheckpoint(runId, step.get())));
        }
        return new RunInputs(model, train, eval, output, resume, step.orElse(0L));
    }

    /**
     * The step of the run's latest complete checkpoint in the store: one whose {@code trainer_state.json} exists
     * (checkpoints are uploaded with that file last).
     */
    public Optional<Long> latestCheckpoint(String runId) {
        List<Long> steps = store.list(ObjectKeys.runCheckpointsPrefix(runId), false).stream()
                .filter(ObjectInfo::isPrefix)
                .map(o -> STEP.matcher(o.key()))
                .filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1)))
                .sorted(Comparator.reverseOrder())
                .toList();
        for (long step : steps) {
            if (store.exists(ObjectKeys.runCheckpoint(runId, step) + Checkpoint.TRAINER_STATE_FILE)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    /** Removes the local directory of a run (its artifacts are in the store). */
    public void cleanup(String runId) {
        deleteTree(root.resolve(runId));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not remove %s: %s", dir, e.getMessage());
        }
    }
}
