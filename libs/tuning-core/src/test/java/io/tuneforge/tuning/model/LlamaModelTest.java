package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;
import io.tuneforge.tuning.weights.WeightNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KV-cache decoding, padding, loading errors and the LoRA hook on the tiny model. */
class LlamaModelTest extends TinyModelFixture {

    static long[] tokens(int n, int seed) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i * 31L + seed * 17L + 3) % 259;
        }
        return out;
    }

    @Test
    void cachedDecodingEqualsOneFullForward() {
        long[] seq = tokens(24, 1);
        NDArray full = model.forward(manager.create(seq, new Shape(1, 24)), null, null); // (1, 24, V)
        try (KvCache cache = model.newCache(1, 24)) {
            long[] prompt = java.util.Arrays.copyOf(seq, 10);
            NDArray prefill = model.forward(manager.create(prompt, new Shape(1, 10)), null, cache);
            double worst = maxAbsDiff(full.get(new NDIndex(":, :10")), prefill);
            for (int t = 10; t < 24; t++) {
                NDArray step = model.forward(manager.create(new long[] {seq[t]}, new Shape(1, 1)), null, cache);
                worst = Math.max(worst, maxAbsDiff(full.get(new NDIndex(":, {}:{}", t, t + 1)), step));
            }
            assertEquals(24, cache.length());
            assertTrue(worst <= 1e-5, "cached decoding differs from the full forward by " + worst);
        }
    }

    @Test
    void leftPaddedBatchEqualsUnpaddedRows() {
        long[] a = tokens(20, 2);
        long[] b = tokens(12, 3);
        long[] ids = new long[40];
        long[] mask = new long[40];
        System.arraycopy(a, 0, ids, 0, 20);
        java.util.Arrays.fill(mask, 0, 20, 1);
        java.util.Arrays.fill(ids, 20, 28, TinySpec.END_OF_TEXT_ID); // 8 pads, then b
        System.arraycopy(b, 0, ids, 28, 12);
        java.util.Arrays.fill(mask, 28, 40, 1);
        NDArray batch = model.forward(manager.create(ids, new Shape(2, 20)), manager.create(mask, new Shape(2, 20)),
                null);
        NDArray rowA = model.forward(manager.create(a, new Shape(1, 20)), null, null);
        NDArray rowB = model.forward(manager.create(b, new Shape(1, 12)), null, null);
        double worst = Math.max(maxAbsDiff(batch.get(new NDIndex("0:1")), rowA),
                maxAbsDiff(batch.get(new NDIndex("1:2, 8:")), rowB));
        assertTrue(worst <= 1e-5, "padded batch differs from unpadded rows by " + worst);
        // without the mask the short row reads the pads: the comparison above can fail
        NDArray unmasked = model.forward(manager.create(ids, new Shape(2, 20)), null, null);
        assertTrue(maxAbsDiff(unmasked.get(new NDIndex("1:2, 8:")), rowB) > 1e-3);
    }

    @Test
    void leftPaddedBatchDecodesLikeSingleRows() {
        long[] a = tokens(16, 4);
        long[] b = tokens(9, 5);
        long[] ids = new long[32];
        long[] mask = new long[32];
        System.arraycopy(a, 0, ids, 0, 12);
        java.util.Arrays.fill(mask, 0, 12, 1);
        java.util.Arrays.fill(ids, 16, 23, TinySpec.END_OF_TEXT_ID);
        System.arraycopy(b, 0, ids, 23, 5);
        java.util.Arrays.fill(mask, 23, 28, 1);
        // prompt: a[0:12] and 7 pads + b[0:5] (both 12 wide); then 4 steps feed a[12..15] and b[5..8]
        long[] prompt = new long[24];
        long[] promptMask = new long[24];
        System.arraycopy(ids, 0, prompt, 0, 12);
        System.arraycopy(ids, 16, prompt, 12, 12);
        System.arraycopy(mask, 0, promptMask, 0, 12);
        System.arraycopy(mask, 16, promptMask, 12, 12);
        NDArray fullA = model.forward(manager.create(a, new Shape(1, 16)), null, null);
        NDArray fullB = model.forward(manager.create(b, new Shape(1, 9)), null, null);
        try (KvCache cache = model.newCache(2, 16)) {
            NDArray last = model.forwardLast(manager.create(prompt, new Shape(2, 12)),
                    manager.create(promptMask, new Shape(2, 12)), cache);                       // (2, V)
            double worst = Math.max(maxAbsDiff(last.get(new NDIndex("0")), fullA.get(new NDIndex("0, 11"))),
                    maxAbsDiff(last.get(new NDIndex("1")), fullB.get(new NDIndex("0, 4"))));
            for (int k = 0; k < 4; k++) {
                NDArray step = model.forwardLast(manager.create(new long[] {a[12 + k], b[5 + k]}, new Shape(2, 1)),
                        null, cache);
                worst = Math.max(worst, maxAbsDiff(step.get(new NDIndex("0")), fullA.get(new NDIndex("0, {}", 12 + k))));
                worst = Math.max(worst, maxAbsDiff(step.get(new NDIndex("1")), fullB.get(new NDIndex("0, {}", 5 + k))));
            }
            assertTrue(worst <= 1e-5, "padded cached decoding differs by " + worst);
            assertEquals(16, cache.length());
            assertEquals(java.util.List.of(16L, 9L), java.util.List.of(cache.seenTokens()[0], cache.seenTokens()[1]));
        }
    }

    @Test
    void rightPaddingIsMaskedToo() {
        long[] a = tokens(10, 6);
        long[] ids = new long[14];
        System.arraycopy(a, 0, ids, 0, 10);
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
        NDArray padded = model.forward(manager.create(ids, new Shape(1, 14)), manager.create(mask, new Shape(1, 14)),
                null);
        NDArray plain = model.forward(manager.create(a, new Shape(1, 10)), null, null);
        assertTrue(maxAbsDiff(padded.get(new NDIndex(":, :10")), plain) <= 1e-5);
    }

    @Test
    void logitsBelongToTheCallerAndAreFloat32() {
        NDArray ids = manager.create(tokens(5, 7), new Shape(1, 5));
        NDArray logits = model.forward(ids, null, null);
        assertEquals(manager, logits.getManager());
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, logits.getDataType());
        assertEquals(new Shape(1, 5, 320), logits.getShape());
        NDArray last = model.forwardLast(ids, null, null);
        assertEquals(0.0, maxAbsDiff(last, logits.get(new NDIndex(":, -1"))), 1e-6);
        assertEquals(1, ids.getManager().getManagedArrays().stream().filter(a -> a == ids).count(),
                "the caller's input stays with the caller");
    }

    @Test
    void callErrorsNameTheProblem() {
        NDArray ids = manager.create(tokens(6, 8), new Shape(2, 3));
        String m = assertThrows(IllegalArgumentException.class,
                () -> model.forward(manager.create(tokens(6, 8)), null, null)).getMessage();
        assertTrue(m.contains("(B, T)") && m.contains("(6)"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> model.forward(ids, manager.ones(new Shape(2, 4)), null)).getMessage();
        assertTrue(m.contains("attentionMask (2, 4)"), m);
        try (KvCache cache = model.newCache(2, 4)) {
            model.forward(ids, null, cache);
            m = assertThrows(IllegalArgumentException.class, () -> model.forward(ids, null, cache)).getMessage();
            assertTrue(m.contains("holds 3 of 4") && m.contains(">= 6"), m);
        }
        try (KvCache cache = model.newCache(1, 8)) {
            m = assertThrows(IllegalArgumentException.class, () -> model.forward(ids, null, cache)).getMessage();
            assertTrue(m.contains("batch size 2") && m.contains("1 rows"), m);
        }
        m = assertThrows(IllegalArgumentException.class,
                () -> model.forward(manager.zeros(new Shape(1, 513), ai.djl.ndarray.types.DataType.INT64), null, null))
                .getMessage();
        assertTrue(m.contains("513") && m.contains("max_position_embeddings = 512"), m);
    }

    @Test
    void projectionsCanBeWrappedForAdapters() {
        NDArray ids = manager.create(tokens(7, 9), new Shape(1, 7));
        model.setFusedProjections(false); // wrapped projections run one by one: compare bit for bit with that
        NDArray before = model.forward(ids, null, null);
        model.setFusedProjections(true);
        Map<String, LinearLayer> original = new LinkedHashMap<>(model.linears());
        assertEquals(2 * 7, original.size());
        assertTrue(original.containsKey("model.layers.1.mlp.down_proj"));
        AtomicInteger calls = new AtomicInteger();
        model.replaceLinears((name, inner) -> new LinearLayer() {
            @Override
            public NDArray forward(NDArray x) {
                calls.incrementAndGet();
                return inner.forward(x);
            }

            @Override
            public int inFeatures() {
                return inner.inFeatures();
            }

            @Override
            public int outFeatures() {
                return inner.outFeatures();
            }
        });
        try {
            NDArray after = model.forward(ids, null, null);
            assertEquals(14, calls.get(), "every projection goes through its wrapper once");
            assertEquals(0.0, maxAbsDiff(before, after), 0.0);
            LinearLayer wrong = new Linear(model.manager().zeros(new Shape(3, 64)), null);
            String m = assertThrows(IllegalArgumentException.class,
                    () -> model.layers().get(0).setProjection(Projection.Q_PROJ, wrong)).getMessage();
            assertTrue(m.contains("q_proj") && m.contains("64 → 3") && m.contains("64 → 64"), m);
        } finally {
            model.replaceLinears((name, current) -> original.get(name));
        }
    }

    @Test
    void parametersAreExactlyTheConfigsCount() {
        long total = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
        assertEquals(model.config().parameterCount(), total);
        assertEquals(WeightNames.expectedShapes(model.config()).keySet(), model.parameters().keySet());
    }

    @Test
    void missingAndMisShapedTensorsAreReportedByName(@TempDir Path broken) throws Exception {
        TinyModel.write(broken, TinySpec.defaults());
        Path weights = broken.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            for (String name : r.names()) {
                if (name.equals("model.layers.1.mlp.up_proj.weight")) {
                    continue;
                }
                float[] values = r.readFloats(name);
                Shape shape = name.equals(WeightNames.FINAL_NORM) ? new Shape(32) : r.info(name).shape();
                w.addFloats(name, shape, name.equals(WeightNames.FINAL_NORM) ? java.util.Arrays.copyOf(values, 32)
                        : values, SafetensorsDtype.F32);
            }
        }
        w.write(weights);
        String m = assertThrows(IllegalArgumentException.class, () -> LlamaModel.load(broken, DeviceSettings.cpu()))
                .getMessage();
        assertTrue(m.contains("missing model.layers.1.mlp.up_proj.weight (expected shape (176, 64))"), m);
        assertTrue(m.contains("model.norm.weight has shape (32) but the config needs (64)"), m);
    }

    @Test
    void shardedBf16CheckpointLoadsToTheSameModel(@TempDir Path sharded) throws Exception {
        // Re-store the tiny model as two bf16 shards (how real checkpoints come) and compare with the
        // f32 model rounded to bf16 the same way.
        Files.copy(modelDir.resolve("config.json"), sharded.resolve("config.json"));
        StringBuilder map = new StringBuilder();
        SafetensorsWriter first = new SafetensorsWriter().putMetadata("format", "pt");
        SafetensorsWriter second = new SafetensorsWriter().putMetadata("format", "pt");
        Map<String, NDArray> rounded = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(modelDir)) {
            for (String name : r.names()) {
                boolean one = !name.startsWith("model.layers.1") && !name.equals(WeightNames.LM_HEAD);
                String shard = one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                float[] values = r.readFloats(name);
                (one ? first : second).addFloats(name, r.info(name).shape(), values, SafetensorsDtype.BF16);
                map.append(map.length() == 0 ? "" : ",").append('"').append(name).append("\":\"").append(shard)
                        .append('"');
                float[] bf16 = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    bf16[i] = io.tuneforge.tuning.weights.FloatBits.bf16ToFloat(
                            io.tuneforge.tuning.weights.FloatBits.floatToBf16(values[i]));
                }
                rounded.put(name, manager.create(bf16, r.info(name).shape()));
            }
        }
        first.write(sharded.resolve("model-00001-of-00002.safetensors"));
        second.write(sharded.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(sharded.resolve(SafetensorsReader.INDEX_FILE), "{\"weight_map\":{" + map + "}}");
        NDArray ids = manager.create(tokens(9, 10), new Shape(1, 9));
        try (LlamaModel loaded = LlamaModel.load(sharded, DeviceSettings.cpu());
             LlamaModel built = LlamaModel.fromWeights(model.config(), DeviceSettings.cpu(), rounded)) {
            NDArray a = loaded.forward(ids, null, null);
            NDArray b = built.forward(ids, null, null);
            assertEquals(0.0, maxAbsDiff(a, b), 0.0);
            assertTrue(maxAbsDiff(a, model.forward(ids, null, null)) > 1e-5, "bf16 rounding is visible");
        }
    }
}
