package io.tuneforge.tuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress, eval loss, checkpoint callbacks and metrics.jsonl; divergence; methods that arrive later. */
class TrainerCallbacksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsEveryStepEvalLossAndCheckpointsInOrder() throws Exception {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 8, 0);
        Path eval = TrainFixtures.dataset(dir.resolve("eval.jsonl"), 5, 3);
        // 8 records, batch 2 → 4 steps per epoch, 2 epochs = 8 steps; eval every 3, checkpoint every 4
        Hyperparameters h = TrainFixtures.hyper(2, 1e-3, 2, 1, "linear", 0.25, 1.0, 4, 3);
        TrainingRequest request = TrainFixtures.request(model, AdapterType.LORA, TrainFixtures.lora(4, 0.0), h);
        List<String> events = new ArrayList<>();
        List<StepMetrics> steps = new ArrayList<>();
        TrainingResult result;
        Path out = dir.resolve("out");
        try (SftTrainer t = SftTrainer.setup(TrainFixtures.setup(request, model, train, eval, out, null))) {
            result = t.train(new TrainingCallback() {
                @Override
                public void onTrainBegin(TrainingPlan plan, long startStep) {
                    events.add("begin " + plan.totalSteps() + " from " + startStep);
                }

                @Override
                public void onStep(StepMetrics m) {
                    steps.add(m);
                    events.add("step " + m.step());
                }

                @Override
                public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
                    assertTrue(Double.isFinite(evalLoss) && evalLoss > 0, "eval loss " + evalLoss);
                    assertTrue(evalTokens > 0);
                    events.add("eval " + step);
                }

                @Override
                public void onCheckpoint(long step, Path checkpoint) {
                    assertTrue(Files.isRegularFile(checkpoint.resolve("adapter/adapter_model.safetensors")));
                    events.add("checkpoint " + step);
                }

                @Override
                public void onTrainEnd(TrainingResult r) {
                    events.add("end " + r.globalStep());
                }
            }, new CancellationToken());
        }
        assertEquals(List.of("begin 8 from 0", "step 1", "step 2", "step 3", "eval 3", "step 4", "checkpoint 4",
                "step 5", "step 6", "eval 6", "step 7", "step 8", "eval 8", "checkpoint 8", "end 8"), events);
        LrSchedule schedule = new LrSchedule("linear", 1e-3, 2, 8);
        for (StepMetrics m : steps) {
            assertEquals(schedule.lr(m.step() - 1), m.learningRate(), 1e-15, "lr of step " + m.step());
            assertTrue(m.tokensPerSecond() > 0 && m.gradNorm() > 0 && m.tokens() >= m.targetTokens());
            assertEquals(8, m.totalSteps());
            assertEquals(m.step() / 4.0, m.epoch(), 1e-12);
        }
        assertEquals(0.0, steps.get(7).etaSeconds(), 0.0);
        assertTrue(steps.get(0).etaSeconds() > 0);
        assertTrue(result.evalLoss() != null && !result.cancelled());
        assertEquals(out.resolve("adapter"), result.artifacts());

        List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE_NAME));
        assertEquals(11, lines.size(), "8 train lines + 3 eval lines");
        JsonNode first = JSON.readTree(lines.get(0));
        for (String key : new String[] {"step", "epoch", "loss", "learningRate", "tokensPerSecond", "gradNorm"}) {
            assertTrue(first.has(key), "metrics line has " + key + ": " + first);
        }
        assertTrue(JSON.readTree(lines.get(3)).has("evalLoss"), lines.get(3));
        JsonNode args = JSON.readTree(out.resolve("training_args.json").toFile());
        assertEquals(2, args.path("hyperparameters").path("batchSize").asInt());
    }

    @Test
    void nanLossStopsWithTheStepNamedAndNoNanWeightsWritten() {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 8, 0);
        // lr 1e30 without clipping: step 1 throws the weights to ±1e30, the next forward overflows
        Hyperparameters h = TrainFixtures.hyper(1, 1e30, 2, 1, "constant", 0.0, 0.0, 1, 0);
        TrainingRequest request = TrainFixtures.request(model, AdapterType.NONE, null, h);
        Path out = dir.resolve("out");
        TrainingDivergedException e;
        try (SftTrainer t = SftTrainer.setup(TrainFixtures.setup(request, model, train, null, out, null))) {
            e = assertThrows(TrainingDivergedException.class, () -> t.train(null, null));
        }
        assertEquals(2, e.step(), e.getMessage());
        assertTrue(e.getMessage().startsWith("training diverged at step 2: loss = "), e.getMessage());
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-1")), "the last good checkpoint stays");
        assertTrue(!Files.exists(out.resolve("checkpoints/step-2")));
        assertTrue(allFinite(out.resolve("checkpoints/step-1/model/model.safetensors")), "step 1's weights are finite");
    }

    @Test
    void dpoAndOrpoGoToPreferenceTrainer() {
        TrainingRequest r = new TrainingRequest(1, null, null, "m", DatasetSpec.local("t.jsonl", null),
                TrainingMethod.DPO, AdapterType.LORA, null, null, null, null, null, null);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> SftTrainer.setup(TrainFixtures.setup(r, dir, dir.resolve("t.jsonl"), null, dir, null)));
        assertTrue(e.getMessage().contains("PreferenceTrainer"), e.getMessage());
    }

    static boolean allFinite(Path safetensors) {
        try (SafetensorsReader r = SafetensorsReader.open(safetensors)) {
            for (String name : r.names()) {
                for (float v : r.readFloats(name)) {
                    if (!Float.isFinite(v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
