package io.tuneforge.tuning.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.peft.LoraLinear;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QLoRA on the tiny model: NF4 decoder projections, storage, logits, and LoRA trained on top. */
class QuantizedModelTest {

    @TempDir
    static Path modelDir;
    static LlamaModel model;
    static float[] denseLogits;
    NDManager manager;
    NDArray ids;

    @BeforeAll
    static void load() {
        TinyModel.write(modelDir, TinySpec.defaults());
        model = LlamaModel.load(modelDir, DeviceSettings.cpu());
        try (NDManager m = NDManager.newBaseManager()) {
            denseLogits = logits(model, tokens(m));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @BeforeEach
    void newManager() {
        manager = NDManager.newBaseManager();
        ids = tokens(manager);
    }

    @AfterEach
    void closeManager() {
        manager.close();
        model.linears().values().forEach(l -> assertInstanceOf(Linear.class, l, "left quantized or adapted: " + l));
    }

    @Test
    void replacesEveryDecoderProjectionAndMeetsTheStorageBudget() {
        try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.defaults())) {
            assertEquals(model.linears().keySet(), nf4.layers().keySet());
            assertEquals(2 * 7, nf4.layers().size(), "q, k, v, o, gate, up, down of both layers");
            nf4.layers().forEach((module, layer) -> assertSame(layer, model.linears().get(module)));
            long expected = 0;
            for (String module : nf4.layers().keySet()) {
                expected += model.parameters().get(module + ".weight").getShape().size();
            }
            assertEquals(expected, nf4.parameters());
            System.out.printf("tiny model decoder linears: %d weights, NF4 + double quant %d bytes = %.4f bytes/param%n",
                    nf4.parameters(), nf4.storedBytes(), nf4.bytesPerParameter());
            assertTrue(nf4.bytesPerParameter() <= 0.55, nf4.bytesPerParameter() + " bytes/param");
        }
        try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.nf4(false))) {
            assertEquals(0.5625, nf4.bytesPerParameter(), 1e-12, "0.5 + 4/64 without double quantization");
        }
    }

    @Test
    void releasingTheDenseWeightsFreesThemAndKeepsTheQuantizedLogits() {
        try (LlamaModel own = LlamaModel.load(modelDir, DeviceSettings.cpu())) {
            int before = own.parameters().size();
            try (QuantizedModel nf4 = QuantizedModel.quantize(own, QuantizationConfig.defaults())) {
                float[] quantized = logits(own, ids);
                List<NDArray> dense = nf4.layers().keySet().stream()
                        .map(module -> own.parameters().get(module + ".weight")).toList();
                nf4.releaseDenseWeights();
                assertEquals(before - nf4.layers().size(), own.parameters().size(), "projection weights gone");
                dense.forEach(w -> assertTrue(w.isReleased(), "dense weight freed"));
                assertEquals(0.0, QuantTesting.maxAbsDiff(quantized, logits(own, ids)), "same NF4 logits after release");
                assertThrows(IllegalArgumentException.class,
                        () -> own.releaseParameters(List.of("model.layers.0.self_attn.q_proj.weight")));
            }
            assertEquals(0.0, QuantTesting.maxAbsDiff(logits(own, ids), logits(own, ids)),
                    "after close the model keeps running on its NF4 layers");
        }
    }

    @Test
    void aDenseWeightStillInUseIsNotReleased() {
        try (LlamaModel own = LlamaModel.load(modelDir, DeviceSettings.cpu())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> own.releaseParameters(List.of("model.layers.1.mlp.up_proj.weight")));
            assertTrue(e.getMessage().contains("model.layers.1.mlp.up_proj"), e.getMessage());
        }
    }

    @Test
    void logitsAreThoseOfTheDequantizedWeightsAndCloseToTheDenseModel() {
        float[] quantized;
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.defaults())) {
            quantized = logits(model, ids);
            model.parameters().forEach((name, p) -> weights.put(name, p.duplicate()));
            nf4.layers().forEach((module, layer) -> weights.put(module + ".weight",
                    manager.create(layer.weight().dequantizeToArray(), layer.weight().shape())));
        }
        // 1) exactly a dense model holding dequant(W)
        try (LlamaModel dequantized = LlamaModel.fromWeights(model.config(), DeviceSettings.cpu(), weights)) {
            double diff = QuantTesting.maxAbsDiff(logits(dequantized, ids), quantized);
            assertTrue(diff < 1e-5, "NF4 model vs dense model of dequantized weights: max |Δ| = " + diff);
        }
        // 2) close to the f32 model: deviation relative to the logits' own spread
        double diff = QuantTesting.maxAbsDiff(denseLogits, quantized);
        double spread = QuantTesting.maxAbs(denseLogits);
        double rms = 0;
        double rmsDense = 0;
        for (int i = 0; i < denseLogits.length; i++) {
            rms += Math.pow(denseLogits[i] - quantized[i], 2);
            rmsDense += Math.pow(denseLogits[i], 2);
        }
        double relRms = Math.sqrt(rms / rmsDense);
        System.out.printf("QLoRA tiny model logits vs f32: max |Δ| = %.3e (max |logit| %.3e), relative RMS %.4f%n",
                diff, spread, relRms);
        assertTrue(diff > 0, "quantization must change something");
        assertTrue(relRms < 0.15, "NF4 logits deviate by a relative RMS of " + relRms);
    }

    @Test
    void loraOverNf4TrainsOnlyLoraAndMatchesLoraOverTheDequantizedDenseModel() {
        String probeName = "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight";
        NDArray probe = manager.randomNormal(new Shape(2, 12, 320)).div(100f);                     // (B, T, V)
        float[] viaNf4;
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.defaults());
             LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 5)) {
            for (LoraLinear layer : lora.layers().values()) {
                assertInstanceOf(Nf4Linear.class, layer.base(), layer.moduleName() + " wraps the NF4 layer");
            }
            float[] nf4Logits = logits(model, ids);
            setB(lora, 0.05);
            assertTrue(QuantTesting.maxAbsDiff(nf4Logits, logits(model, ids)) > 1e-4, "B ≠ 0 must change the logits");
            viaNf4 = gradients(lora, probe, probeName);
            model.parameters().forEach((n, p) -> assertFalse(p.hasGradient(), n + " is frozen"));
            assertThrows(UnsupportedOperationException.class, lora::merge, "LoRA cannot merge into NF4 codes");
            IllegalStateException e = assertThrows(IllegalStateException.class, nf4::close);
            assertTrue(e.getMessage().contains("close the LoraAdapter"), e.getMessage());
            model.parameters().forEach((name, p) -> weights.put(name, p.duplicate()));
            nf4.layers().forEach((module, layer) -> weights.put(module + ".weight",
                    manager.create(layer.weight().dequantizeToArray(), layer.weight().shape())));
        }
        try (LlamaModel dequantized = LlamaModel.fromWeights(model.config(), DeviceSettings.cpu(), weights);
             LoraAdapter lora = LoraAdapter.attach(dequantized, LoraConfig.defaults(), 5)) {
            setB(lora, 0.05);
            float[] viaDense = gradients(lora, probe, probeName);
            double diff = QuantTesting.maxAbsDiff(viaDense, viaNf4);
            assertTrue(diff < 1e-5 * Math.max(1, QuantTesting.maxAbs(viaDense)), "d loss / d lora_B over NF4 vs over"
                    + " dequantized dense weights: max |Δ| = " + diff);
        }
    }

    @Test
    void closingPutsTheDenseModelBackAndOrderIsChecked() {
        QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.nf4(false));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> QuantizedModel.quantize(model, QuantizationConfig.defaults()));
        assertTrue(twice.getMessage().contains("Nf4Linear"), twice.getMessage());
        nf4.close();
        nf4.close(); // idempotent
        assertEquals(0.0, QuantTesting.maxAbsDiff(denseLogits, logits(model, ids)), "dense logits come back exactly");
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> QuantizedModel.quantize(model, QuantizationConfig.defaults()));
            assertTrue(e.getMessage().contains("before attaching LoRA"), e.getMessage());
        }
    }

    /** Gives every lora_B deterministic values ~ N(0, std), keeping lora_A. */
    private void setB(LoraAdapter lora, double std) {
        long seed = 100;
        for (LoraLinear layer : lora.layers().values()) {
            Shape shape = layer.loraB().getShape();
            float[] b = QuantTesting.normal(seed++, Math.toIntExact(shape.size()), std);
            layer.assign(layer.loraA(), manager.create(b, shape));
        }
    }

    /** Backward of sum(logits · probe): checks every LoRA parameter got a gradient, returns one of them. */
    private float[] gradients(LoraAdapter lora, NDArray probe, String name) {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray stepIds = ids.duplicate();
            stepIds.attach(step);
            collector.backward(lora.model().forward(stepIds, null, null).mul(probe).sum());
            for (Map.Entry<String, NDArray> e : lora.trainableParameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    assertTrue(g.abs().max().getFloat() > 0, e.getKey() + " got no gradient");
                }
            }
            try (NDArray g = lora.trainableParameters().get(name).getGradient()) {
                return g.toFloatArray();
            }
        }
    }

    /** (2, 12) token ids below 259, deterministic. */
    static NDArray tokens(NDManager manager) {
        long[] ids = new long[24];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37L + 11) % 259;
        }
        return manager.create(ids, new Shape(2, 12));
    }

    static float[] logits(LlamaModel m, NDArray ids) {
        try (NDArray out = m.forward(ids, null, null)) {
            return out.toFloatArray();
        }
    }
}
