package io.tuneforge.tuning.preference;

import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.TrainableParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient accumulation: one step over 4 pairs as one micro-batch or as two micro-batches of 2 (answers of
 * different lengths, so the halves differ in padding and token counts) reports the same loss, metrics and
 * gradient norm and leaves the same LoRA weights — for DPO and for ORPO, whose NLL term is normalised by the
 * chosen tokens of the whole step.
 */
class PreferenceStepRunnerTest {

    @TempDir
    static Path dir;
    static List<PreferenceExample> pairs;

    @BeforeAll
    static void data() throws IOException {
        TinyModel.write(dir, TinySpec.defaults());
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, ChatTemplate.of(tokenizer), 128);
            pairs = List.of(
                    encoder.encode(new PreferencePair(List.of(Message.user("Sky?")), "blue", "I will not say.")),
                    encoder.encode(new PreferencePair(List.of(Message.user("Grass?")), "green, mostly", "no")),
                    encoder.encode(new PreferencePair(List.of(Message.system("Short."), Message.user("Snow?")),
                            "white", "purple, probably")),
                    encoder.encode(new PreferencePair(List.of(Message.user("Night?")), "dark", "bright as day")));
        }
    }

    /** Loss, grad norm and metrics of one step, and the adapter after it. */
    private record Result(PreferenceStepRunner.Outcome outcome, Map<String, float[]> weights) {
    }

    private static Result step(PreferenceMethod method, List<List<Integer>> microBatches) {
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             LoraAdapter adapter = LoraAdapter.attach(model,
                     new LoraConfig(4, 8.0, 0.0, LoraSettings.ALL_TARGETS, false), 7);
             TrainableParameters params = new TrainableParameters(adapter.trainableParameters());
             AdamW optimizer = new AdamW(DeviceSettings.cpu().device(), 0.01, n -> true);
             PreferenceObjective objective = PreferenceObjective.of(method, 0.2, 0.0, DeviceSettings.cpu().device());
             PreferenceStepRunner runner = new PreferenceStepRunner(model, params, optimizer,
                     new LrSchedule("constant", 1e-2, 0, 2), 0.1, objective,
                     method.needsReference() ? new AdapterOffReference(adapter) : null,
                     new PreferenceCollator(256, 128))) {
            // a first step so that B is non-zero and the second step's DPO terms are not all at h = 0
            PreferenceStepRunner.Micro all = micro(List.of(0, 1, 2, 3));
            runner.run(0, List.of(all));
            List<PreferenceStepRunner.Micro> micros = new ArrayList<>();
            microBatches.forEach(m -> micros.add(micro(m)));
            PreferenceStepRunner.Outcome outcome = runner.run(1, micros);
            Map<String, float[]> weights = new LinkedHashMap<>();
            adapter.trainableParameters().forEach((name, array) -> weights.put(name, array.toFloatArray()));
            return new Result(outcome, weights);
        }
    }

    private static PreferenceStepRunner.Micro micro(List<Integer> indices) {
        return new PreferenceStepRunner.Micro(indices.stream().map(pairs::get).toList(),
                indices.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void assertSameStep(PreferenceMethod method) {
        Result whole = step(method, List.of(List.of(0, 1, 2, 3)));
        Result split = step(method, List.of(List.of(0, 1), List.of(2, 3)));
        PreferenceStepRunner.Outcome a = whole.outcome();
        PreferenceStepRunner.Outcome b = split.outcome();
        assertEquals(a.loss(), b.loss(), 1e-5 * Math.abs(a.loss()), method + " loss");
        assertEquals(a.gradNorm(), b.gradNorm(), 1e-4 * a.gradNorm(), method + " grad norm");
        assertTrue(a.gradNorm() > 0.1, "the grad norm " + a.gradNorm() + " is above the clip bound, so clipping runs");
        assertEquals(a.tokens(), b.tokens());
        assertEquals(a.targetTokens(), b.targetTokens());
        assertEquals(a.metrics().keySet(), b.metrics().keySet());
        a.metrics().forEach((name, v) -> assertEquals(v, b.metrics().get(name), 1e-5 * Math.max(1, Math.abs(v)),
                method + " " + name));
        whole.weights().forEach((name, w) -> assertArrayEquals(w, split.weights().get(name), 1e-6f, name));
    }

    @Test
    void dpoAccumulatesToTheSameStep() {
        assertSameStep(PreferenceMethod.DPO);
    }

    @Test
    void orpoAccumulatesToTheSameStep() {
        assertSameStep(PreferenceMethod.ORPO);
    }
}
