package io.tuneforge.tuning.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LinearLayer;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tuneforge.tuning.peft.LoraTesting.logits;
import static io.tuneforge.tuning.peft.LoraTesting.maxAbsDiff;
import static io.tuneforge.tuning.peft.LoraTesting.randomizeB;
import static io.tuneforge.tuning.peft.LoraTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA on the tiny model: exact start, merge/unmerge, the disabled switch, gradients, dropout. */
class LoraAdapterTest {

    @TempDir
    static Path modelDir;
    static LlamaModel model;
    static float[] baseLogits;
    NDManager manager;
    NDArray ids;

    @BeforeAll
    static void load() {
        TinyModel.write(modelDir, TinySpec.defaults());
        model = LlamaModel.load(modelDir, DeviceSettings.cpu());
        try (NDManager m = NDManager.newBaseManager()) {
            baseLogits = logits(model, tokens(m, 2, 12, 1));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @BeforeEach
    void newManager() {
        manager = NDManager.newBaseManager();
        ids = tokens(manager, 2, 12, 1);
    }

    @AfterEach
    void closeManager() {
        manager.close();
        // every test detaches its adapter: the model is the base model again
        model.linears().values().forEach(l -> assertTrue(l instanceof Linear, "adapter left attached: " + l));
    }

    @Test
    void freshAdapterGivesTheBaseLogitsExactly() {
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 7)) {
            assertEquals(2 * 7, lora.layers().size());
            double diff = maxAbsDiff(baseLogits, logits(model, ids));
            assertTrue(diff <= 1e-6, "B = 0 must leave the logits unchanged; max |Δ| = " + diff);
            // and the adapter path is live: a non-zero B moves them
            randomizeB(lora, 1, 0.05);
            assertTrue(maxAbsDiff(baseLogits, logits(model, ids)) > 1e-3);
        }
    }

    @Test
    void initialisationIsKaimingUniformForAAndZeroForB() {
        try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(8, 16, 0, List.of("q_proj", "down_proj"),
                false), 7)) {
            assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.mlp.down_proj",
                    "model.layers.1.self_attn.q_proj", "model.layers.1.mlp.down_proj"), List.copyOf(lora.layers().keySet()));
            for (LoraLinear layer : lora.layers().values()) {
                int in = layer.inFeatures();
                assertEquals(new Shape(8, in), layer.loraA().getShape());
                assertEquals(new Shape(layer.outFeatures(), 8), layer.loraB().getShape());
                float[] a = layer.loraA().toFloatArray();
                double bound = 1 / Math.sqrt(in);
                double max = 0;
                double sum = 0;
                for (float v : a) {
                    max = Math.max(max, Math.abs(v));
                    sum += v;
                }
                assertTrue(max <= bound, layer.moduleName() + ": |A| " + max + " exceeds 1/sqrt(in) = " + bound);
                assertTrue(max > 0.9 * bound, layer.moduleName() + ": A spans only " + max + " of bound " + bound);
                assertTrue(Math.abs(sum / a.length) < 0.1 * bound, "A is not centred: mean " + sum / a.length);
                assertEquals(0, layer.loraB().abs().max().getFloat());
                assertEquals(2.0, layer.scaling());
            }
        }
    }

    @Test
    void initialisationDependsOnSeedAndModuleOnly() {
        float[] q0;
        float[] q1;
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 7)) {
            q0 = lora.layers().get("model.layers.0.self_attn.q_proj").loraA().toFloatArray();
            q1 = lora.layers().get("model.layers.1.self_attn.q_proj").loraA().toFloatArray();
        }
        try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(16, 32, 0.05, List.of("v_proj", "q_proj"),
                false), 7)) {
            assertArrayEquals(q0, lora.layers().get("model.layers.0.self_attn.q_proj").loraA().toFloatArray());
        }
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 8)) {
            assertFalse(java.util.Arrays.equals(q0,
                    lora.layers().get("model.layers.0.self_attn.q_proj").loraA().toFloatArray()));
        }
        assertFalse(java.util.Arrays.equals(q0, q1), "two modules got the same A");
    }

    @Test
    void forwardIsBasePlusScaledLowRankUpdate() {
        LoraConfig config = new LoraConfig(4, 3, 0, List.of("o_proj"), true); // rsLoRA: 3 / sqrt(4) = 1.5
        try (LoraAdapter lora = LoraAdapter.attach(model, config, 3)) {
            randomizeB(lora, 2, 0.1);
            LoraLinear layer = lora.layers().get("model.layers.1.self_attn.o_proj");
            assertEquals(1.5, layer.scaling());
            NDArray x = manager.randomNormal(new Shape(3, 5, layer.inFeatures()));                   // (3, 5, in)
            NDArray w = ((Linear) layer.base()).weight();
            NDArray expected = x.matMul(w.transpose())
                    .add(x.matMul(layer.loraA().transpose()).matMul(layer.loraB().transpose()).mul(1.5f));
            NDArray actual = layer.forward(x);
            assertEquals(new Shape(3, 5, layer.outFeatures()), actual.getShape());
            double diff = maxAbsDiff(expected, actual);
            assertTrue(diff <= 1e-5, "LoraLinear differs from x·Wᵀ + x·Aᵀ·Bᵀ·1.5 by " + diff);
        }
    }

    @Test
    void mergedWeightsGiveTheAdapterLogitsAndUnmergeRestoresTheBase() {
        // a model of its own: a failure half-way must not leave merged weights to the other tests
        try (LlamaModel model = LlamaModel.load(modelDir, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 11)) {
            randomizeB(lora, 5, 0.05);
            float[] adapted = logits(model, ids);
            assertTrue(maxAbsDiff(baseLogits, adapted) > 1e-2, "the adapter must change the logits for this test");
            Map<String, NDArray> export = lora.mergedWeights(manager);
            lora.merge();
            assertTrue(lora.merged());
            double merged = maxAbsDiff(adapted, logits(model, ids));
            assertTrue(merged <= 1e-5, "merged model differs from base + adapter by " + merged);
            NDArray q = model.parameters().get("model.layers.0.self_attn.q_proj.weight");
            assertTrue(maxAbsDiff(export.get("model.layers.0.self_attn.q_proj.weight"), q) <= 1e-6,
                    "mergedWeights() differs from the weights merge() wrote");
            assertSame(model.parameters().get("model.norm.weight"), export.get("model.norm.weight"));
            assertThrows(IllegalStateException.class, lora::merge, "merging twice would double count");
            assertThrows(IllegalStateException.class, () -> lora.setDisabled(true));
            lora.unmerge();
            assertFalse(lora.merged());
            double restored = maxAbsDiff(adapted, logits(model, ids));
            assertTrue(restored <= 1e-5, "unmerged model differs from base + adapter by " + restored);
            lora.setDisabled(true);
            double base = maxAbsDiff(baseLogits, logits(model, ids));
            assertTrue(base <= 1e-6, "unmerge did not restore the base weights: max |Δlogit| = " + base);
            lora.close();
            double closed = maxAbsDiff(baseLogits, logits(model, ids));
            assertTrue(closed <= 1e-6, "closing the adapter must leave the base model: " + closed);
        }
    }

    @Test
    void mergeRefusesNanAndLeavesWeightsUntouched() {
        try (LlamaModel model = LlamaModel.load(modelDir, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1)) {
            randomizeB(lora, 1, 0.05);
            LoraLinear down = lora.layers().get("model.layers.1.mlp.down_proj");
            float[] b = down.loraB().toFloatArray();
            b[3] = Float.NaN;
            down.assign(down.loraA(), manager.create(b, down.loraB().getShape()));
            float[] before = model.parameters().get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            IllegalStateException e = assertThrows(IllegalStateException.class, lora::merge);
            assertTrue(e.getMessage().contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"),
                    e.getMessage());
            assertFalse(lora.merged());
            assertArrayEquals(before, model.parameters().get("model.layers.0.self_attn.q_proj.weight").toFloatArray());
            assertThrows(IllegalStateException.class, () -> down.merge());
            assertThrows(IllegalStateException.class, () -> lora.mergedWeights(manager));
        }
    }

    @Test
    void disabledAdapterGivesTheBaseLogits() {
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 2)) {
            randomizeB(lora, 3, 0.05);
            float[] adapted = logits(model, ids);
            lora.setDisabled(true);
            assertTrue(lora.disabled());
            assertTrue(maxAbsDiff(baseLogits, logits(model, ids)) <= 1e-6);
            assertThrows(IllegalStateException.class, lora::merge);
            lora.setDisabled(false);
            assertTrue(maxAbsDiff(adapted, logits(model, ids)) <= 1e-6);
        }
    }

    @Test
    void onlyLoraParametersGetGradientsAndTheyMatchFiniteDifferences() {
        try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 4)) {
            randomizeB(lora, 4, 0.05);
            NDArray probe = manager.randomNormal(new Shape(2, 12, 320)).div(100f);                   // (B, T, V)
            String name = "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight";
            float[] gradB;
            try (NDManager step = manager.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray stepIds = ids.duplicate();
                stepIds.attach(step);
                NDArray loss = model.forward(stepIds, null, null).mul(probe).sum();                   // ()
                collector.backward(loss);
                for (Map.Entry<String, NDArray> e : lora.trainableParameters().entrySet()) {
                    assertTrue(e.getValue().hasGradient(), e.getKey() + " does not require a gradient");
                    try (NDArray g = e.getValue().getGradient()) {
                        assertTrue(g.abs().max().getFloat() > 0, e.getKey() + " got a zero gradient");
                    }
                }
                try (NDArray g = lora.trainableParameters().get(name).getGradient()) {
                    gradB = g.toFloatArray();
                }
            }
            model.parameters().forEach((n, p) -> assertFalse(p.hasGradient(), n + " is frozen but requires a gradient"));
            // the gradient of the largest entry against a central difference of the loss
            int k = 0;
            for (int i = 1; i < gradB.length; i++) {
                k = Math.abs(gradB[i]) > Math.abs(gradB[k]) ? i : k;
            }
            LoraLinear v = lora.layers().get("model.layers.0.self_attn.v_proj");
            float[] b = v.loraB().toFloatArray();
            float eps = 1e-2f;
            double[] losses = new double[2];
            for (int s = 0; s < 2; s++) {
                float[] shifted = b.clone();
                shifted[k] += s == 0 ? eps : -eps;
                v.assign(v.loraA(), manager.create(shifted, v.loraB().getShape()));
                try (NDArray out = model.forward(ids, null, null)) {
                    losses[s] = out.mul(probe).sum().getFloat();
                }
            }
            double numeric = (losses[0] - losses[1]) / (2 * eps);
            assertEquals(numeric, gradB[k], 0.02 * Math.abs(numeric) + 1e-3,
                    "d loss / d lora_B[" + k + "]: autograd " + gradB[k] + " vs finite difference " + numeric);
        }
    }

    @Test
    void dropoutIsSeededAppliesOnlyInTrainingAndNeverTouchesTheBase() {
        LoraConfig config = new LoraConfig(8, 16, 0.5, List.of("q_proj", "up_proj"), false);
        try (LoraAdapter lora = LoraAdapter.attach(model, config, 9)) {
            randomizeB(lora, 9, 0.1);
            float[] eval = logits(model, ids);
            lora.setTraining(true);
            lora.beginStep(3);
            float[] first = logits(model, ids);
            float[] second = logits(model, ids);                      // next call of step 3: a new mask
            lora.beginStep(3);
            float[] again = logits(model, ids);                       // step 3 replayed (resume)
            lora.beginStep(4);
            float[] other = logits(model, ids);
            assertTrue(maxAbsDiff(eval, first) > 1e-3, "dropout changed nothing in training mode");
            assertArrayEquals(first, again, "the same step must draw the same masks");
            assertTrue(maxAbsDiff(first, second) > 1e-4, "two calls in one step drew the same mask");
            assertTrue(maxAbsDiff(first, other) > 1e-4, "two steps drew the same mask");
            lora.setDisabled(true);
            assertTrue(maxAbsDiff(baseLogits, logits(model, ids)) <= 1e-6, "dropout must not reach the base path");
            lora.setDisabled(false);
            lora.setTraining(false);
            assertArrayEquals(eval, logits(model, ids));
        }
    }

    @Test
    void dropoutKeepsTheExpectedActivation() {
        try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(4, 4, 0.25, List.of("gate_proj"), false), 5)) {
            randomizeB(lora, 5, 0.1);
            LoraLinear layer = lora.layers().get("model.layers.0.mlp.gate_proj");
            NDArray x = manager.ones(new Shape(64, 16, layer.inFeatures()));                     // every row alike
            NDArray base = layer.base().forward(x);
            NDArray evalUpdate = layer.forward(x).sub(base).get("0, 0");                          // (out)
            double scale = evalUpdate.abs().max().getFloat();
            layer.setTraining(true);
            NDArray sum = manager.zeros(evalUpdate.getShape());
            int draws = 10;
            for (int i = 0; i < draws; i++) {
                NDArray update = layer.forward(x).sub(base);                                      // (64, 16, out)
                if (i == 0) {
                    assertTrue(maxAbsDiff(update.get("0, 0"), evalUpdate) > 0.05 * scale, "no element was dropped");
                }
                sum = sum.add(update.reshape(-1, update.getShape().get(2)).mean(new int[] {0})); // (out)
            }
            // inverted dropout: E[mask / (1 - p)] = 1, so the mean update approaches the evaluation update
            NDArray mean = sum.div(draws);
            assertTrue(maxAbsDiff(mean, evalUpdate) < 0.05 * scale, "mean training update deviates by "
                    + maxAbsDiff(mean, evalUpdate) + " (scale " + scale + ")");
        }
    }

    @Test
    void trainableParametersUsePeftNamesAndCopyFromChecksThem() {
        try (LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(2, 4, 0, List.of("k_proj"), false), 6)) {
            assertEquals(List.of(
                    "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight",
                    "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight",
                    "base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight",
                    "base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"),
                    List.copyOf(lora.trainableParameters().keySet()));
            NDArray a = lora.trainableParameters().get("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight");
            Random random = new Random(1);
            Map<String, NDArray> values = new java.util.LinkedHashMap<>();
            lora.trainableParameters().forEach((n, p) -> {
                float[] v = new float[Math.toIntExact(p.getShape().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian();
                }
                values.put(n, manager.create(v, p.getShape()));
            });
            lora.copyFrom(values);
            assertSame(a, lora.trainableParameters().get("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight"));
            assertTrue(a.hasGradient(), "copyFrom must keep the parameter trainable");
            values.forEach((n, v) -> assertArrayEquals(v.toFloatArray(), lora.trainableParameters().get(n).toFloatArray()));
            values.put("base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight", manager.zeros(new Shape(3, 64)));
            values.remove("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lora.copyFrom(values));
            assertTrue(e.getMessage().contains("has shape (3, 64) but the adapter needs (2, 64)"), e.getMessage());
            assertTrue(e.getMessage().contains("missing base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"),
                    e.getMessage());
        }
    }

    @Test
    void oneAdapterPerModelAndCloseRestoresTheProjections() {
        Map<String, LinearLayer> before = Map.copyOf(model.linears());
        LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 1);
        assertNotEquals(before, model.linears());
        assertThrows(IllegalStateException.class, () -> LoraAdapter.attach(model, LoraConfig.defaults(), 2));
        lora.close();
        lora.close();
        assertEquals(before, model.linears());
        assertThrows(IllegalStateException.class, lora::trainableParameters);
    }
}
