package io.tuneforge.tuning.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.loss.CausalLmLoss;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.peft.LoraLinear;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tuneforge.tuning.peft.LoraTesting.randomizeB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fused q/k/v and gate/up execution ({@link FusedProjection}) against the same model run one projection at a
 * time ({@link LlamaModel#setFusedProjections}(false)): logits, LoRA and full fine-tuning gradients, LoRA
 * merge/unmerge through the shared weight, and the NF4 fallback. The fixture's tiny Llama has grouped-query
 * attention (4 query / 2 key-value heads); a tiny Qwen2 adds q/k/v biases.
 *
 * <p>Tolerance: the fused and the separate products sum the same terms, but GEMMs of other widths may block
 * them differently, so results agree to f32 rounding, not bit for bit: logits (≈ ±0.1) within 2e-6
 * absolute, gradients within 1e-5 of their largest magnitude.
 */
class FusedProjectionTest extends TinyModelFixture {

    private static final double LOGITS_TOLERANCE = 2e-6;
    private static final double GRADIENT_TOLERANCE = 1e-5;

    @TempDir
    static Path qwenDir;
    static LlamaModel qwen2;

    @BeforeAll
    static void loadQwen2() {
        TinyModel.write(qwenDir, TinySpec.defaults().asQwen2());
        qwen2 = LlamaModel.load(qwenDir, DeviceSettings.cpu());
    }

    @AfterAll
    static void closeQwen2() {
        qwen2.close();
    }

    private NDArray tokens(int batch, int length) {
        long[] ids = new long[batch * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37L + 11) % 259;
        }
        return manager.create(ids, new Shape(batch, length));
    }

    /** {@code run} with fusion on, then off (restored to on afterwards). */
    private static <T> List<T> fusedThenSeparate(LlamaModel m, java.util.function.Supplier<T> run) {
        try {
            T fused = run.get();
            m.setFusedProjections(false);
            return List.of(fused, run.get());
        } finally {
            m.setFusedProjections(true);
        }
    }

    @Test
    void fusedLogitsEqualSeparateProjectionsWithGqaAndWithBiases() {
        for (LlamaModel m : List.of(model, qwen2)) {
            NDArray ids = tokens(2, 9);
            List<NDArray> logits = fusedThenSeparate(m, () -> m.forward(ids, null, null));
            double diff = maxAbsDiff(logits.get(0), logits.get(1));
            assertTrue(diff <= LOGITS_TOLERANCE, m.config().architecture() + ": fused logits differ by " + diff);
            assertTrue(logits.get(0).abs().max().getFloat() > 1e-3, "logits are not trivially zero");
        }
    }

    @Test
    void fusedDecodingWithTheCacheEqualsSeparateProjections() {
        List<NDArray> steps = fusedThenSeparate(qwen2, () -> {
            try (KvCache cache = qwen2.newCache(2, 12)) {
                qwen2.forwardLast(tokens(2, 7), null, cache);
                return qwen2.forwardLast(tokens(2, 1), null, cache);                 // (B, V)
            }
        });
        assertTrue(maxAbsDiff(steps.get(0), steps.get(1)) <= LOGITS_TOLERANCE,
                "decode step differs by " + maxAbsDiff(steps.get(0), steps.get(1)));
    }

    @Test
    void theFusedProductIsTheConcatenationOfTheProjections() {
        DecoderLayer layer = qwen2.layers().get(1);
        NDArray x = manager.randomNormal(new Shape(2, 5, 64));
        LinearLayer[] qkv = qkv(layer);
        NDArray fused = layer.attention().fusedQkv().forward(x, qkv);
        assertNotNull(fused, "dense q/k/v run fused");
        assertEquals(new Shape(2, 5, 64 + 2 * 32), fused.getShape());
        assertTrue(maxAbsDiff(fused, concat(x, qkv)) <= 1e-6);
    }

    private static LinearLayer[] qkv(DecoderLayer layer) {
        return new LinearLayer[] {layer.projection(Projection.Q_PROJ), layer.projection(Projection.K_PROJ),
                                  layer.projection(Projection.V_PROJ)};
    }

    private static NDArray concat(NDArray x, LinearLayer... layers) {
        NDList parts = new NDList();
        for (LinearLayer l : layers) {
            parts.add(l.forward(x));
        }
        return NDArrays.concat(parts, 2);
    }

    @Test
    void loraWrappedProjectionsRunSeparatelyActiveOrDisabled() {
        try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj"),
                false), 3)) {
            DecoderLayer layer = model.layers().get(0);
            NDArray x = manager.randomNormal(new Shape(1, 2, 64));
            assertNull(layer.attention().fusedQkv().forward(x, qkv(layer)), "LoRA training runs q/k/v one by one");
            lora.setDisabled(true); // DPO's reference pass: the same products as the policy's, so ties stay exact
            assertNull(layer.attention().fusedQkv().forward(x, qkv(layer)));
            assertNotNull(layer.mlp().fusedGateUp().forward(x, layer.projection(Projection.GATE_PROJ),
                    layer.projection(Projection.UP_PROJ)), "gate/up carry no adapter here and run fused");
        }
    }

    @Test
    void loraGradientsAreTheSameFusedOrNotWithDropoutAndPartialTargets() {
        // all seven targets, and a q/v/up choice (mixed adapted and plain members)
        for (List<String> targets : List.of(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                "down_proj"), List.of("q_proj", "v_proj", "up_proj"))) {
            try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(4, 8, 0.1, targets, false), 7)) {
                randomizeB(lora, 11, 0.05);
                lora.setTraining(true);
                List<Map<String, NDArray>> grads = fusedThenSeparate(model, () -> {
                    lora.beginStep(3); // the same dropout masks in both runs
                    return gradients(model, lora.trainableParameters());
                });
                assertEquals(2 * 2 * targets.size(), grads.get(0).size());
                grads.get(0).forEach((name, g) -> assertClose(g, grads.get(1).get(name), name));
            }
        }
    }

    @Test
    void fullFineTuningGradientsAreTheSameFusedOrNot() {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        qwen2.parameters().forEach((name, p) -> {
            if (name.contains("layers.0.") && (name.contains("_proj.") || name.contains("norm"))) {
                trainable.put(name, p);
            }
        });
        assertEquals(2 + 7 + 3, trainable.size(), "layer 0: two norms, seven weights, q/k/v biases");
        trainable.values().forEach(p -> p.setRequiresGradient(true));
        try {
            List<Map<String, NDArray>> grads = fusedThenSeparate(qwen2, () -> gradients(qwen2, trainable));
            grads.get(0).forEach((name, g) -> assertClose(g, grads.get(1).get(name), name));
        } finally {
            trainable.values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    /** d(loss)/d(each array) for one causal-LM step on fixed tokens, as copies; the gradients are zeroed. */
    private Map<String, NDArray> gradients(LlamaModel m, Map<String, NDArray> arrays) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray ids = tokens(2, 10);
            collector.backward(CausalLmLoss.mean(m.forward(ids, null, null), ids));
            arrays.forEach((name, a) -> {
                try (NDArray g = a.getGradient()) {
                    out.put(name, manager.create(g.toFloatArray(), g.getShape()));
                    g.subi(g);
                }
            });
        }
        return out;
    }

    private static void assertClose(NDArray expected, NDArray actual, String name) {
        double scale = expected.abs().max().getFloat();
        double diff = maxAbsDiff(expected, actual);
        assertTrue(scale > 1e-9, name + " has a zero gradient");
        assertTrue(diff <= GRADIENT_TOLERANCE * scale, name + ": gradients differ by " + diff + " (largest " + scale
                + ")");
    }

    @Test
    void mergeAndUnmergeWriteThroughToTheFusedWeight() {
        NDArray ids = tokens(2, 8);
        NDArray base = qwen2.forward(ids, null, null);
        try (LoraAdapter lora = LoraAdapter.attach(qwen2, LoraConfig.defaults(), 5)) {
            randomizeB(lora, 11, 0.05);
            NDArray adapted = qwen2.forward(ids, null, null);
            assertTrue(maxAbsDiff(base, adapted) > 1e-3, "the adapter changes the logits");
            lora.merge();
            // merged: the fused W reads W + scaling·B·A through the views merge wrote into
            DecoderLayer layer = qwen2.layers().get(0);
            NDArray x = manager.randomNormal(new Shape(1, 3, 64));
            LinearLayer[] bases = Arrays.stream(qkv(layer)).map(l -> ((LoraLinear) l).base())
                    .toArray(LinearLayer[]::new);
            NDArray fusedMerged = layer.attention().fusedQkv().forward(x, bases);
            assertTrue(maxAbsDiff(fusedMerged, concat(x, bases)) <= 1e-6);
            assertTrue(maxAbsDiff(fusedMerged, concat(x, qkv(layer))) <= 1e-6, "merged LoRA = its base now");
            NDArray merged = qwen2.forward(ids, null, null);
            assertTrue(maxAbsDiff(adapted, merged) <= 1e-5, "merged differs by " + maxAbsDiff(adapted, merged));
            lora.unmerge();
            assertTrue(maxAbsDiff(adapted, qwen2.forward(ids, null, null)) <= 1e-5);
            lora.setDisabled(true);
            NDArray disabled = qwen2.forward(ids, null, null);
            assertTrue(maxAbsDiff(base, disabled) <= 1e-5, "unmerge restored W: " + maxAbsDiff(base, disabled));
        }
    }

    @Test
    void nf4ProjectionsRunSeparatelyAndReleasingTheDenseWeightsFreesTheFusedOne() {
        try (LlamaModel own = LlamaModel.load(modelDir, DeviceSettings.cpu())) {
            NDArray ids = tokens(1, 6);
            DecoderLayer layer = own.layers().get(0);
            NDArray x = manager.randomNormal(new Shape(1, 2, 64));
            QuantizedModel nf4 = QuantizedModel.quantize(own, QuantizationConfig.defaults());
            assertNull(layer.attention().fusedQkv().forward(x, qkv(layer)), "NF4 runs unfused");
            NDArray before = own.forward(ids, null, null);
            nf4.releaseDenseWeights();
            assertTrue(layer.attention().fusedQkv().released() && layer.mlp().fusedGateUp().released(),
                    "the fused dense weights are freed with their views");
            assertEquals(0.0, maxAbsDiff(before, own.forward(ids, null, null)));
        }
    }
}
