package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact resume: a run cancelled after 10 of 20 steps and resumed from its checkpoint gives the losses and weights
 * of the uninterrupted run (LoRA with dropout, so the dropout stream is restored too; and full fine-tuning).
 */
class ResumeTest {

    private static final double TOLERANCE = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void loraRunCancelledAtTenAndResumedEqualsTwentyStraightSteps() throws Exception {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 16, 0);
        Path eval = TrainFixtures.dataset(dir.resolve("eval.jsonl"), 3, 5);
        // 16 records, batch 2, accumulation 2 → 4 steps per epoch, 5 epochs = 20 steps
        Hyperparameters h = TrainFixtures.hyper(5, 5e-3, 2, 2, "cosine", 0.1, 1.0, 4, 5);
        TrainingRequest request = TrainFixtures.request(model, AdapterType.LORA, TrainFixtures.lora(4, 0.1), h);

        Path straight = dir.resolve("straight");
        double[] expected = run(request, model, train, eval, straight, null, -1);
        assertEquals(20, expected.length);

        Path split = dir.resolve("split");
        List<Long> checkpoints = new ArrayList<>();
        CancellationToken token = new CancellationToken();
        TrainingResult first;
        try (SftTrainer t = SftTrainer.setup(TrainFixtures.setup(request, model, train, eval, split, null))) {
            first = t.train(new TrainingCallback() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 10) {
                        token.cancel("test stops at 10");
                    }
                }

                @Override
                public void onCheckpoint(long step, Path checkpoint) {
                    checkpoints.add(step);
                }
            }, token);
        }
        assertTrue(first.cancelled());
        assertEquals("test stops at 10", first.cancelReason());
        assertEquals(10, first.globalStep());
        assertEquals(List.of(4L, 8L, 10L), checkpoints, "every 4 steps, then where it was cancelled");
        assertNull(first.artifacts(), "a cancelled run exports nothing; its checkpoint is what to resume");
        assertFalse(Files.exists(split.resolve("adapter")));

        double[] resumed = run(request, model, train, eval, split, split, -1);
        assertArrayEquals(expected, resumed, TOLERANCE, "losses of steps 1..20");
        assertSameTensors(straight.resolve("adapter/adapter_model.safetensors"),
                split.resolve("adapter/adapter_model.safetensors"));
        assertSameTensors(straight.resolve("checkpoints/step-20/optimizer.safetensors"),
                split.resolve("checkpoints/step-20/optimizer.safetensors"));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(split.resolve(MetricsLog.FILE_NAME))) {
            lines.add(JSON.readTree(line));
        }
        long trainLines = lines.stream().filter(l -> l.path("type").asText().equals("train")).count();
        assertEquals(20, trainLines, "each step once in metrics.jsonl after the resume");
        assertEquals(lines.stream().filter(l -> l.path("type").asText().equals("eval")).count(),
                Files.readAllLines(straight.resolve(MetricsLog.FILE_NAME)).stream().filter(l -> l.contains("\"eval\""))
                        .count(), "the same eval points");
        JsonNode state = JSON.readTree(split.resolve("checkpoints/step-20/trainer_state.json").toFile());
        assertEquals(20, state.get("global_step").asInt());
        assertEquals(5.0, state.get("epoch").asDouble(), 1e-12);
        assertTrue(state.get("best_metric").isNull());
        JsonNode entry = state.get("log_history").get(0);
        for (String key : new String[] {"loss", "learning_rate", "grad_norm", "epoch", "step"}) {
            assertTrue(entry.has(key), "log_history entries carry " + key);
        }
        JsonNode data = JSON.readTree(split.resolve("checkpoints/step-10/data_state.json").toFile());
        assertEquals(2, data.get("epoch").asInt(), "step 10 of 4-step epochs ends inside epoch 2");
        assertEquals(4, data.get("micro_batch").asInt());
    }

    @Test
    void fullFineTuningResumesExactlyAndRefusesChangedSettings() throws Exception {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 8, 0);
        Hyperparameters h = TrainFixtures.hyper(2, 1e-3, 2, 1, "linear", 0.0, 1.0, 3, 0); // 4 steps/epoch → 8
        TrainingRequest request = TrainFixtures.request(model, AdapterType.NONE, null, h);
        double[] expected = run(request, model, train, null, dir.resolve("a"), null, -1);
        run(request, model, train, null, dir.resolve("b"), null, 3);
        assertTrue(Files.isRegularFile(dir.resolve("b/checkpoints/step-3/model/model.safetensors")));
        double[] resumed = run(request, model, train, null, dir.resolve("b"),
                dir.resolve("b/checkpoints/step-3"), -1);
        assertArrayEquals(expected, resumed, TOLERANCE);
        assertSameTensors(dir.resolve("a/model/model.safetensors"), dir.resolve("b/model/model.safetensors"));
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve("a/model").resolve(f)), "model/ holds " + f);
        }

        Hyperparameters other = TrainFixtures.hyper(2, 1e-3, 4, 1, "linear", 0.0, 1.0, 3, 0);
        TrainingRequest changed = TrainFixtures.request(model, AdapterType.NONE, null, other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SftTrainer.setup(
                TrainFixtures.setup(changed, model, train, null, dir.resolve("c"), dir.resolve("b/checkpoints/step-3"))));
        assertTrue(e.getMessage().contains("hyperparameters.batchSize was 2, now 4"), e.getMessage());
    }

    /** Runs to the end (or cancels after {@code stopAfter} steps) and returns every logged loss. */
    private static double[] run(TrainingRequest request, Path model, Path train, Path eval, Path out, Path resume,
                                long stopAfter) {
        CancellationToken token = new CancellationToken();
        try (SftTrainer t = SftTrainer.setup(TrainFixtures.setup(request, model, train, eval, out, resume))) {
            t.train(new TrainingCallback() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == stopAfter) {
                        token.cancel("stop");
                    }
                }
            }, token);
            return t.state().losses();
        }
    }

    static void assertSameTensors(Path expected, Path actual) {
        try (SafetensorsReader a = SafetensorsReader.open(expected); SafetensorsReader b = SafetensorsReader.open(actual)) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                if (!a.info(name).dtype().isFloating()) {
                    assertArrayEquals(a.readRaw(name), b.readRaw(name), name);
                    continue;
                }
                float[] x = a.readFloats(name);
                float[] y = b.readFloats(name);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], TOLERANCE, name + "[" + i + "]");
                }
            }
        }
    }
}
