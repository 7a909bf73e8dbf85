package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code trainer_state.json}, shaped like Hugging Face's {@code TrainerState} so that tools which
 * read it (and people who know it) find what they expect:
 *
 * <pre>
 * {"global_step": 10, "epoch": 1.25, "max_steps": 20, "num_train_epochs": 2, "train_batch_size": 2,
 *  "gradient_accumulation_steps": 2, "logging_steps": 1, "eval_steps": 5, "save_steps": 5,
 *  "best_metric": null, "best_model_checkpoint": null,
 *  "log_history": [{"epoch": 0.125, "step": 1, "loss": 5.61, "learning_rate": 0.0002, "grad_norm": 1.3,
 *                   "tokens_per_second": 4100.0}, {"epoch": 0.625, "step": 5, "eval_loss": 5.2}, …]}
 * </pre>
 */
public final class TrainerState {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root;

    private TrainerState(ObjectNode root) {
        this.root = root;
    }

    /** A fresh state for a run of {@code plan} with these checkpoint and eval intervals. */
    public static TrainerState start(TrainingPlan plan, int saveSteps, int evalSteps) {
        ObjectNode r = JSON.createObjectNode();
        r.put("global_step", 0);
        r.put("epoch", 0.0);
        r.put("max_steps", plan.totalSteps());
        r.put("num_train_epochs", plan.epochs());
        r.put("train_batch_size", plan.batchSize());
        r.put("gradient_accumulation_steps", plan.gradientAccumulation());
        r.put("logging_steps", 1);
        r.put("eval_steps", evalSteps);
        r.put("save_steps", saveSteps);
        r.putNull("best_metric");
        r.putNull("best_model_checkpoint");
        r.putArray("log_history");
        return new TrainerState(r);
    }

    /** Reads a saved state. */
    public static TrainerState read(Path file) {
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            if (!(tree instanceof ObjectNode o) || !o.has("global_step") || !o.path("log_history").isArray()) {
                throw new IllegalArgumentException(file + " is not a trainer_state.json: expected an object with"
                        + " global_step and log_history");
            }
            return new TrainerState(o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records a finished optimizer step. */
    public void logStep(StepMetrics m) {
        root.put("global_step", m.step());
        root.put("epoch", m.epoch());
        ObjectNode entry = history().addObject();
        entry.put("epoch", m.epoch());
        entry.put("step", m.step());
        entry.put("loss", m.loss());
        entry.put("learning_rate", m.learningRate());
        entry.put("grad_norm", m.gradNorm());
        entry.put("tokens_per_second", m.tokensPerSecond());
    }

    /** Records an eval-loss measurement. */
    public void logEval(long step, double epoch, double evalLoss) {
        ObjectNode entry = history().addObject();
        entry.put("epoch", epoch);
        entry.put("step", step);
        entry.put("eval_loss", evalLoss);
    }

    private ArrayNode history() {
        return (ArrayNode) root.get("log_history");
    }

    public long globalStep() {
        return root.path("global_step").asLong();
    }

    public double epoch() {
        return root.path("epoch").asDouble();
    }

    public int maxSteps() {
        return root.path("max_steps").asInt();
    }

    /** Losses of the logged training steps, in order. */
    public double[] losses() {
        return history().findParents("loss").stream().mapToDouble(n -> n.get("loss").asDouble()).toArray();
    }

    /** The log entries (read-only view of the JSON). */
    public JsonNode logHistory() {
        return history().deepCopy();
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
