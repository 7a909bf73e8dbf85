package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint directory {@code OUTPUT/checkpoints/step-{n}/} and its atomic writing:
 *
 * <pre>
 * adapter/                  PEFT files (LoRA)          or   model/  config.json + model.safetensors (full, f32)
 * optimizer.safetensors     AdamW m, v, step per parameter
 * scheduler.json            schedule kind, peak lr, warmup, total, last_step
 * rng_state.json            seed and dropout stream position (LoRA masks derive from seed, module, step, call)
 * data_state.json           epoch, next micro-batch in it, dataset size, order seed
 * trainer_state.json        Hugging Face-like TrainerState ({@link TrainerState})
 * training_args.json        the training request the run used (resume refuses an incompatible one)
 * </pre>
 *
 * Everything is written into a hidden sibling {@code .step-{n}.tmp} and renamed into place in one
 * move, so {@code step-{n}} is either complete or absent; {@link #latest} ignores anything else.
 */
public final class Checkpoint {

    public static final String CHECKPOINTS_DIR = "checkpoints";
    public static final String ADAPTER_DIR = "adapter";
    public static final String MODEL_DIR = "model";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String SCHEDULER_FILE = "scheduler.json";
    public static final String RNG_FILE = "rng_state.json";
    public static final String DATA_FILE = "data_state.json";
    public static final String TRAINER_STATE_FILE = "trainer_state.json";
    public static final String ARGS_FILE = "training_args.json";

    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the contents of a checkpoint into a directory that does not exist yet. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    /**
     * Where a run resumes in its data: the next micro-batch to read.
     *
     * @param epoch 0-based epoch
     * @param microBatch index of the next micro-batch within it
     * @param datasetSize usable training examples when it was written
     * @param seed the data-order seed
     */
    public record DataPosition(int epoch, int microBatch, int datasetSize, long seed) {
    }

    private Checkpoint() {
    }

    /** {@code outputDir/checkpoints/step-{step}} */
    public static Path dir(Path outputDir, long step) {
        return outputDir.resolve(CHECKPOINTS_DIR).resolve("step-" + step);
    }

    /**
     * Writes {@code outputDir/checkpoints/step-{step}} atomically (temp directory + rename); an existing complete
     * checkpoint of the same step is replaced.
     *
     * @return the checkpoint directory
     */
    public static Path write(Path outputDir, long step, Contents contents) {
        Path target = dir(outputDir, step);
        Path parent = target.getParent();
        Path tmp = parent.resolve(".step-" + step + ".tmp");
        Path old = parent.resolve(".step-" + step + ".old");
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            contents.writeInto(tmp);
            if (Files.exists(target)) {
                deleteTree(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // best effort: a stale temp directory is ignored by latest() and replaced next time
            }
        }
    }

    /** The complete checkpoint with the highest step under {@code outputDir/checkpoints}, if any. */
    public static Optional<Path> latest(Path outputDir) {
        Path parent = outputDir.resolve(CHECKPOINTS_DIR);
        if (!Files.isDirectory(parent)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(TRAINER_STATE_FILE)))
                    .max(Comparator.comparingLong(Checkpoint::stepOf));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * What {@code --resume-from} names: a checkpoint directory itself, or a run's output directory (its latest
     * checkpoint).
     *
     * @throws IllegalArgumentException when neither holds a complete checkpoint
     */
    public static Path resolve(Path resumeFrom) {
        if (Files.isRegularFile(resumeFrom.resolve(TRAINER_STATE_FILE))) {
            return resumeFrom;
        }
        return latest(resumeFrom).orElseThrow(() -> new IllegalArgumentException("--resume-from " + resumeFrom
                + " holds no checkpoint: expected a checkpoints/step-N directory (with " + TRAINER_STATE_FILE
                + ") or a run's output directory that contains one"));
    }

    /** The step of a {@code step-{n}} directory. */
    public static long stepOf(Path checkpoint) {
        Matcher m = STEP_DIR.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(checkpoint + " is not a checkpoint directory (expected step-N)");
        }
        return Long.parseLong(m.group(1));
    }

    /** Writes {@code data_state.json}. */
    public static void writeDataPosition(Path dir, DataPosition p) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", p.epoch());
        o.put("micro_batch", p.microBatch());
        o.put("dataset_size", p.datasetSize());
        o.put("seed", p.seed());
        JSON.writeValue(dir.resolve(DATA_FILE).toFile(), o);
    }

    public static DataPosition readDataPosition(Path dir) {
        JsonNode o = readJson(dir.resolve(DATA_FILE));
        return new DataPosition(o.path("epoch").asInt(), o.path("micro_batch").asInt(), o.path("dataset_size").asInt(),
                o.path("seed").asLong());
    }

    /** Writes {@code scheduler.json}: the schedule and the steps taken under it. */
    public static void writeScheduler(Path dir, LrSchedule s, long lastStep) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", s.kind());
        o.put("peak_lr", s.peakLr());
        o.put("warmup_steps", s.warmupSteps());
        o.put("total_steps", s.totalSteps());
        o.put("last_step", lastStep);
        o.put("next_lr", lastStep < s.totalSteps() ? s.lr(lastStep) : 0.0);
        JSON.writeValue(dir.resolve(SCHEDULER_FILE).toFile(), o);
    }

    /** Reads {@code scheduler.json} back into a schedule. */
    public static LrSchedule readScheduler(Path dir) {
        JsonNode o = readJson(dir.resolve(SCHEDULER_FILE));
        return new LrSchedule(o.path("type").asText(), o.path("peak_lr").asDouble(), o.path("warmup_steps").asInt(),
                o.path("total_steps").asInt());
    }

    /** Writes {@code rng_state.json}. */
    public static void writeRng(Path dir, long seed, long dropoutStep) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("seed", seed);
        o.put("dropout_step", dropoutStep);
        o.put("scheme", "dropout masks seeded from (seed, module name, optimizer step, call within the step)");
        JSON.writeValue(dir.resolve(RNG_FILE).toFile(), o);
    }

    /** The {@code seed} of {@code rng_state.json}. */
    public static long readRngSeed(Path dir) {
        return readJson(dir.resolve(RNG_FILE)).path("seed").asLong();
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (checkpoint incomplete?): " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
