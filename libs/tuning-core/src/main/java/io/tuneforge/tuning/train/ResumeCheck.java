package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses to resume a checkpoint under settings that would make "continue exactly" a lie: a
 * different method, adapter, LoRA shape or optimisation setting, or a dataset of another size.
 * Only {@code checkpointSteps} and {@code evalSteps} may change between the runs.
 */
public final class ResumeCheck {

    /** Hyperparameters that may differ on resume (they change what is written, not what is learned). */
    private static final Set<String> FREE = Set.of("checkpointSteps", "evalSteps");

    private ResumeCheck() {
    }

    public static void requireCompatible(Path checkpoint, TrainingRequest request) {
        Path args = checkpoint.resolve(Checkpoint.ARGS_FILE);
        if (!Files.isRegularFile(args)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " has no " + Checkpoint.ARGS_FILE
                    + "; it was not written by this trainer");
        }
        JsonNode saved = Checkpoint.readJson(args);
        JsonNode now;
        try { // through text, so that numbers get the node types a file read gives (42 → IntNode, not LongNode)
            now = Json.mapper().readTree(Json.mapper().writeValueAsString(request));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> diffs = new ArrayList<>();
        for (String field : List.of("method", "adapter", "lora")) {
            if (!saved.path(field).equals(now.path(field))) {
                diffs.add(field + " was " + saved.path(field) + ", now " + now.path(field));
            }
        }
        JsonNode h0 = saved.path("hyperparameters");
        JsonNode h1 = now.path("hyperparameters");
        h1.fieldNames().forEachRemaining(name -> {
            if (!FREE.contains(name) && !h0.path(name).equals(h1.path(name))) {
                diffs.add("hyperparameters." + name + " was " + h0.path(name) + ", now " + h1.path(name));
            }
        });
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint + " with a different configuration: "
                    + String.join("; ", diffs) + " — use the settings of the interrupted run (only checkpointSteps"
                    + " and evalSteps may change)");
        }
    }

    public static void requireSamePosition(Path checkpoint, TrainingPlan plan, long step) {
        Checkpoint.DataPosition saved = Checkpoint.readDataPosition(checkpoint);
        if (saved.datasetSize() != plan.datasetSize() || saved.seed() != plan.seed()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it was trained on "
                    + saved.datasetSize() + " examples with data seed " + saved.seed() + ", this run has "
                    + plan.datasetSize() + " with seed " + plan.seed() + "; resume with the same dataset and seed");
        }
        if (step > plan.totalSteps()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is at step " + step
                    + " but the plan has only " + plan.totalSteps() + " steps");
        }
        int epoch = step == plan.totalSteps() ? plan.epochs() : plan.step(step).epoch();
        int micro = step == plan.totalSteps() ? 0 : plan.step(step).firstMicroBatch();
        if (saved.epoch() != epoch || saved.microBatch() != micro) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " continues at epoch " + saved.epoch()
                    + ", micro-batch " + saved.microBatch() + " but this dataset's plan puts step " + step
                    + " at epoch " + epoch + ", micro-batch " + micro + "; the data changed since it was written");
        }
    }
}
