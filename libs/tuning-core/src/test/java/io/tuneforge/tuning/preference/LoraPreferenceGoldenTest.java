package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tuneforge.tuning.preference.GoldenFiles.assertClose;
import static io.tuneforge.tuning.preference.GoldenFiles.assertGradient;
import static io.tuneforge.tuning.preference.GoldenFiles.assertMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole preference path — tiny Llama + LoRA forward, response log-probs, the reference as the same
 * network with the adapter switched off, DPO / ORPO — against {@code golden/preference/lora-cases.json}
 * ({@code preference_reference.py lora}: llama_reference.py's float64 forward with W + (α/r)·B·A). Loss,
 * metrics, reference log-probs and the gradients with respect to every lora_A / lora_B agree within 1e-4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraPreferenceGoldenTest {

    private static final JsonNode GOLDEN = GoldenFiles.read("lora-cases.json");

    @TempDir
    static Path dir;

    private LlamaModel model;
    private LoraAdapter adapter;
    private NDManager manager;
    private Batch batch;

    @BeforeAll
    void setUp() throws IOException, NoSuchAlgorithmException {
        TinyModel.write(dir, TinySpec.defaults());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("model.safetensors"))));
        assertEquals(GOLDEN.get("base_weights_sha256").asText(), sha, "the tiny model changed since lora-cases.json"
                + " was written; regenerate it (golden/preference/README.md)");
        model = LlamaModel.load(dir, DeviceSettings.cpu());
        JsonNode lora = GOLDEN.get("lora");
        List<String> targets = new ArrayList<>();
        lora.get("target_modules").forEach(t -> targets.add(t.asText()));
        adapter = LoraAdapter.attach(model, new LoraConfig(lora.get("r").asInt(), lora.get("alpha").asDouble(), 0.0,
                targets, false), 1);
        manager = NDManager.newBaseManager(Device.cpu());
        Map<String, NDArray> values = new LinkedHashMap<>();
        GOLDEN.get("adapter").fields().forEachRemaining(e -> {
            JsonNode shape = GOLDEN.get("adapter_shapes").get(e.getKey());
            values.put(e.getKey(), manager.create(GoldenFiles.floats(e.getValue()),
                    new Shape(shape.get(0).asLong(), shape.get(1).asLong())));
        });
        adapter.copyFrom(values);
        JsonNode ids = GOLDEN.get("input_ids");
        Shape shape = new Shape(ids.size(), ids.get(0).size());
        long[] mask = GoldenFiles.longRows(GOLDEN.get("attention_mask"));
        long[] labels = GoldenFiles.longRows(GOLDEN.get("labels"));
        long tokens = 0;
        long targetCount = 0;
        for (int i = 0; i < mask.length; i++) {
            tokens += mask[i];
            targetCount += labels[i] != -100 ? 1 : 0;
        }
        batch = new Batch(manager.create(GoldenFiles.longRows(ids), shape), manager.create(mask, shape),
                manager.create(labels, shape), null, null, tokens, targetCount, ids.size());
    }

    @AfterAll
    void tearDown() {
        adapter.close();
        model.close();
        manager.close();
    }

    @Test
    void referenceIsTheBaseModel() {
        try (NDManager m = manager.newSubManager()) {
            ReferencePolicy.LogProbs ref = new AdapterOffReference(adapter).logProbs(batch, null, m);
            assertClose(GOLDEN.get("reference").get("chosen"), ref.chosen().toFloatArray(), "reference chosen");
            assertClose(GOLDEN.get("reference").get("rejected"), ref.rejected().toFloatArray(), "reference rejected");
        }
        assertEquals(false, adapter.disabled(), "the adapter is switched back on after the reference pass");
    }

    @Test
    void dpoLossAndLoraGradientsMatchTheReference() {
        check("dpo");
    }

    @Test
    void labelSmoothedDpoLossAndLoraGradientsMatchTheReference() {
        check("dpo-smoothed");
    }

    @Test
    void orpoLossAndLoraGradientsMatchTheReference() {
        check("orpo");
    }

    private static JsonNode caseNamed(String name) {
        for (JsonNode candidate : GOLDEN.get("cases")) {
            if (candidate.get("name").asText().equals(name)) {
                return candidate;
            }
        }
        throw new AssertionError("lora-cases.json has no case " + name);
    }

    private void check(String name) {
        JsonNode c = caseNamed(name);
        PreferenceMethod method = PreferenceMethod.valueOf(c.get("method").asText().toUpperCase());
        int pairs = batch.batchSize() / 2;
        long[] labels = GoldenFiles.longRows(GOLDEN.get("labels"));
        int width = batch.sequenceLength();
        long chosenTokens = 0;
        for (int i = 0; i < pairs * width; i++) {
            chosenTokens += i % width > 0 && labels[i] != -100 ? 1 : 0;
        }
        PreferenceObjective.StepTotals totals = new PreferenceObjective.StepTotals(pairs, chosenTokens);
        try (PreferenceObjective objective = PreferenceObjective.of(method, c.get("beta").asDouble(),
                c.get("label_smoothing").asDouble(0), Device.cpu());
             NDManager m = manager.newSubManager()) {
            PreferenceMetrics metrics = objective.newMetrics();
            ReferencePolicy.LogProbs ref = method.needsReference()
                    ? new AdapterOffReference(adapter).logProbs(batch, null, m) : null;
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null);
                loss = objective.stepLoss(logits, batch, ref, totals, metrics, m);
                collector.backward(loss);
            }
            double expectedLoss = c.get("metrics").get("loss").asDouble();
            assertEquals(expectedLoss, loss.getFloat(), 1e-4 * expectedLoss, name + " loss");
            assertMetrics(GoldenFiles.metrics(c.get("metrics")), metrics.toMap(), name);
            adapter.trainableParameters().forEach((param, array) -> {
                try (NDArray grad = array.getGradient()) {
                    assertGradient(c.get("grads").get(param), grad.toFloatArray(), name + " d loss / d " + param);
                    grad.subi(grad); // zero for the next case
                }
            });
        }
    }
}
