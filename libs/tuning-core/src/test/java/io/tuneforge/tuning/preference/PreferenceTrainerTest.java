package io.tuneforge.tuning.preference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.train.CancellationToken;
import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preference recipe end to end on the tiny model and 8 pairs whose answers differ clearly (a colour word
 * chosen over a refusal): DPO with LoRA starts at exactly log 2 (B = 0, so policy = reference), DPO and ORPO drive
 * the reward accuracy over the training pairs above 0.9 within a fixed number of steps, precomputed reference
 * log-probs equal the live ones and travel with the run, full fine-tuning uses a frozen copy, resume is exact.
 */
class PreferenceTrainerTest {

    private static final double LN2 = Math.log(2);

    @TempDir
    Path dir;

    /** Everything the trainer reports. */
    static final class Recorder implements PreferenceCallback {
        final List<StepMetrics> steps = new ArrayList<>();
        final List<Map<String, Double>> metrics = new ArrayList<>();
        final List<Map<String, Double>> evals = new ArrayList<>();

        @Override
        public void onStep(StepMetrics m) {
            steps.add(m);
        }

        @Override
        public void onPreferenceMetrics(long step, Map<String, Double> m) {
            assertEquals(steps.size(), step, "preference metrics follow their step");
            metrics.add(m);
        }

        @Override
        public void onPreferenceEval(long step, Map<String, Double> m) {
            evals.add(m);
        }
    }

    private TrainingRequest request(Path model, TrainingMethod method, AdapterType adapter, int epochs, double lr,
                                    double beta, int checkpointSteps) {
        return PreferenceFixtures.request(model, method, adapter,
                PreferenceFixtures.hyper(epochs, lr, 4, 1, beta, checkpointSteps));
    }

    @Test
    void dpoWithLoraStartsAtLogTwoAndLearnsThePreference() throws IOException {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        Path out = dir.resolve("out");
        Recorder recorder = new Recorder();
        long t0 = System.nanoTime();
        double before;
        double after;
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(
                request(model, TrainingMethod.DPO, AdapterType.LORA, 5, 2e-2, 0.1, 0), model, pairs, pairs, out, null))) {
            assertInstanceOf(AdapterOffReference.class, trainer.reference(), "LoRA: the reference is the same network");
            assertEquals(10, trainer.plan().totalSteps());
            before = trainer.evaluate(trainer.trainData(), null).accuracy();
            TrainingResult result = trainer.train(recorder, null);
            after = trainer.evaluate(trainer.trainData(), null).accuracy();
            assertEquals(10, result.globalStep());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> first = recorder.metrics.get(0);
        Map<String, Double> last = recorder.metrics.get(recorder.metrics.size() - 1);
        System.out.printf("DPO LoRA 10 steps: loss %.6f → %.4f, accuracy %.2f → %.2f, margin %.4f, %.1f s%n",
                first.get("loss"), last.get("loss"), before, after, last.get("rewards/margins"), seconds);
        assertEquals(LN2, recorder.steps.get(0).loss(), 1e-6, "step-0 DPO loss with LoRA (B = 0) is log 2");
        assertEquals(0.0, first.get("rewards/chosen"), 0.0);
        assertEquals(0.0, first.get("rewards/margins"), 0.0);
        assertEquals(0.0, first.get("rewards/accuracies"), 0.0, "no pair is preferred before training (ties)");
        assertEquals(0.0, before, 0.0);
        assertTrue(after > 0.9, "reward accuracy over the training pairs after 10 steps: " + after);
        assertTrue(last.get("loss") < first.get("loss"), "DPO loss falls: " + recorder.metrics);
        assertTrue(last.get("rewards/margins") > 0, "chosen rewards end above rejected ones");
        assertEquals(1, recorder.evals.size(), "one eval, at the end (evalSteps 0); evaluate() calls are not reported");
        assertTrue(recorder.evals.get(recorder.evals.size() - 1).containsKey("eval_rewards/accuracies"));
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        for (String key : List.of("step", "loss", "learningRate", "gradNorm", "rewards/chosen", "rewards/rejected",
                "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected")) {
            assertTrue(line.has(key), "metrics.jsonl line lacks " + key + ": " + line);
        }
        assertEquals(11, lines.size(), "10 train lines and the final eval line");
    }

    @Test
    void orpoLearnsThePreferenceWithoutAReference() {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        Recorder recorder = new Recorder();
        double before;
        double after;
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(
                request(model, TrainingMethod.ORPO, AdapterType.LORA, 5, 2e-2, 0.1, 0), model, pairs, null,
                dir.resolve("out"), null))) {
            assertNull(trainer.reference(), "ORPO has no reference model");
            before = trainer.evaluate(trainer.trainData(), null).accuracy();
            trainer.train(recorder, null);
            after = trainer.evaluate(trainer.trainData(), null).accuracy();
        }
        Map<String, Double> first = recorder.metrics.get(0);
        Map<String, Double> last = recorder.metrics.get(recorder.metrics.size() - 1);
        System.out.printf("ORPO LoRA 10 steps: loss %.4f → %.4f, nll %.4f → %.4f, accuracy %.2f → %.2f%n",
                first.get("loss"), last.get("loss"), first.get("nll_loss"), last.get("nll_loss"), before, after);
        for (String key : List.of("log_odds_ratio", "log_odds_chosen", "nll_loss")) {
            assertTrue(first.containsKey(key), "ORPO metric " + key);
        }
        assertTrue(after > 0.9, "reward accuracy over the training pairs after 10 steps: " + after);
        assertTrue(last.get("nll_loss") < first.get("nll_loss"), "the chosen answers' NLL falls");
        assertTrue(last.get("log_odds_chosen") > first.get("log_odds_chosen"), "the odds move towards chosen");
    }

    @Test
    void qloraDpoUsesTheQuantizedBaseAsItsReference() {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        Recorder recorder = new Recorder();
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(
                request(model, TrainingMethod.DPO, AdapterType.QLORA, 2, 2e-2, 0.1, 0), model, pairs, null,
                dir.resolve("out"), null))) {
            assertInstanceOf(AdapterOffReference.class, trainer.reference());
            trainer.train(recorder, null);
        }
        assertEquals(LN2, recorder.steps.get(0).loss(), 1e-6, "policy = NF4 base at step 0");
        assertTrue(recorder.metrics.get(3).get("rewards/margins") > 0, "QLoRA DPO moves towards the chosen answers");
    }

    @Test
    void precomputedReferenceEqualsTheLiveOneAndTravelsWithTheRun() {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        Path out = dir.resolve("out");
        TrainingRequest request = request(model, TrainingMethod.DPO, AdapterType.LORA, 1, 2e-2, 0.1, 1);
        PreferenceOptions precompute = PreferenceOptions.defaults().withPrecomputedReference(true);
        Recorder recorder = new Recorder();
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                out, null), precompute)) {
            PrecomputedReference stored = assertInstanceOf(PrecomputedReference.class, trainer.reference());
            PreferenceMetrics live = trainer.evaluate(trainer.trainData(), new AdapterOffReference(trainer.adapter()));
            PreferenceMetrics fromFile = trainer.evaluate(trainer.trainData(), stored);
            assertEquals(LN2, live.loss(), 1e-6);
            assertEquals(LN2, fromFile.loss(), 1e-5, "precomputed log-probs equal the live reference's");
            trainer.train(recorder, null);
        }
        assertEquals(LN2, recorder.steps.get(0).loss(), 1e-5);
        assertTrue(Files.isRegularFile(out.resolve(PrecomputedReference.FILE_NAME)));
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-1/" + PrecomputedReference.FILE_NAME)),
                "each checkpoint carries the reference log-probs");

        // other data: the stored file is refused, naming both fingerprints
        Path otherPairs = PreferenceFixtures.pairs(dir.resolve("other.jsonl"), 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreferenceTrainer.setup(
                PreferenceFixtures.setup(request, model, otherPairs, null, out, null), precompute).close());
        assertTrue(e.getMessage().contains("were computed for dataset"), e.getMessage());
    }

    @Test
    void fullFineTuningUsesAFrozenCopyOrPrecomputedLogProbs() {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        TrainingRequest request = request(model, TrainingMethod.DPO, AdapterType.NONE, 1, 1e-3, 0.1, 0);
        Recorder live = new Recorder();
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                dir.resolve("live"), null))) {
            assertInstanceOf(FrozenModelReference.class, trainer.reference());
            trainer.train(live, null);
            double after = trainer.evaluate(trainer.trainData(), null).loss();
            assertTrue(after < LN2, "the policy moved away from the frozen base towards the chosen answers: " + after);
        }
        Recorder precomputed = new Recorder();
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                dir.resolve("pre"), null), PreferenceOptions.defaults().withPrecomputedReference(true))) {
            assertInstanceOf(PrecomputedReference.class, trainer.reference(), "no frozen copy kept in memory");
            trainer.train(precomputed, null);
        }
        assertEquals(LN2, live.steps.get(0).loss(), 1e-6, "policy = frozen copy at step 0");
        // the frozen copy runs the policy's kernels (q/k/v, gate/up one by one), so step 0 is an exact tie
        assertEquals(0.0, live.metrics.get(0).get("rewards/chosen"), 0.0, "frozen copy's rewards at step 0");
        assertEquals(0.0, live.metrics.get(0).get("rewards/margins"), 0.0, "frozen copy's margins at step 0");
        assertEquals(0.0, live.metrics.get(0).get("rewards/accuracies"), 0.0, "no pair preferred at step 0 (ties)");
        assertEquals(LN2, precomputed.steps.get(0).loss(), 1e-5);
        assertEquals(live.steps.get(1).loss(), precomputed.steps.get(1).loss(), 1e-4,
                "the same run whether the reference is live or precomputed");
        assertTrue(Files.isRegularFile(dir.resolve("live/model/model.safetensors")));
    }

    @Test
    void resumedRunEndsWhereTheUninterruptedOneDoes() {
        Path model = PreferenceFixtures.tinyModel(dir.resolve("model"));
        Path pairs = PreferenceFixtures.pairs(dir.resolve("train.jsonl"), 8);
        TrainingRequest request = request(model, TrainingMethod.DPO, AdapterType.LORA, 2, 2e-2, 0.1, 2);
        PreferenceOptions precompute = PreferenceOptions.defaults().withPrecomputedReference(true);
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                dir.resolve("whole"), null), precompute)) {
            trainer.train(null, null);
        }
        Path part = dir.resolve("part");
        CancellationToken stop = new CancellationToken();
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                part, null), precompute)) {
            TrainingResult r = trainer.train(new PreferenceCallback() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 2) {
                        stop.cancel("test");
                    }
                }
            }, stop);
            assertTrue(r.cancelled());
            assertEquals(2, r.globalStep());
        }
        Path resumed = dir.resolve("resumed");
        try (PreferenceTrainer trainer = PreferenceTrainer.setup(PreferenceFixtures.setup(request, model, pairs, null,
                resumed, part), precompute)) {
            assertEquals(2, trainer.globalStep());
            trainer.train(null, null);
        }
        try (SafetensorsReader a = SafetensorsReader.open(dir.resolve("whole/adapter/adapter_model.safetensors"));
             SafetensorsReader b = SafetensorsReader.open(resumed.resolve("adapter/adapter_model.safetensors"))) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), 1e-6f, name);
            }
        }
    }
}
