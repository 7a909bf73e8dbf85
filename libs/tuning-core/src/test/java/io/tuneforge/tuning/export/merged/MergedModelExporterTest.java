package io.tuneforge.tuning.export.merged;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.peft.MalformedAdapterException;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.FullModelFiles;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.WeightNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merged export against the model it replaces: logits of the merged directory equal base + adapter (f32,
 * ≤ 1e-5), and an independent reader (src/test/python/llama_reference.py, float64, shares no code) gets the same
 * logits from the merged safetensors within 1e-4 (the golden tests' bound).
 */
class MergedModelExporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] TOKENS = {3, 17, 256, 99, 41, 257, 12, 200};
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    @TempDir
    Path tmp;

    @Test
    void mergedLogitsEqualBasePlusAdapterAndThePythonReference() throws Exception {
        Path base = tmp.resolve("base");
        TinyModel.write(base, TinySpec.defaults());
        Files.writeString(base.resolve("special_tokens_map.json"), "{\"eos_token\": \"<|im_end|>\"}\n");
        Path adapter = trainedLookingAdapter(base, tmp.resolve("adapter"));
        float[] expected = logitsWithAdapter(base, adapter);

        List<String> lines = new ArrayList<>();
        MergedModel m = MergedModelExporter.export(base, adapter, tmp.resolve("merged"), MergeOptions.defaults(),
                lines::add);

        assertTrue(m.adapterMerged());
        assertEquals(List.of(SafetensorsReader.SINGLE_FILE), m.weightFiles());
        assertFalse(lines.isEmpty(), "progress lines");
        float[] merged = logits(m.directory(), null);
        assertTrue(maxAbsDiff(expected, merged) <= 1e-5, "merged vs base+adapter: " + maxAbsDiff(expected, merged));
        assertTrue(maxAbsDiff(logits(base, null), expected) > 1e-2, "the adapter must change the logits");
        float[] python = pythonLogits(m.directory());
        float[] lastPosition = lastPosition(expected, python.length);
        assertTrue(maxAbsDiff(lastPosition, python) <= 1e-4, "python reference: " + maxAbsDiff(lastPosition, python));

        JsonNode baseConfig = JSON.readTree(base.resolve("config.json").toFile());
        JsonNode config = JSON.readTree(m.directory().resolve("config.json").toFile());
        assertEquals("float32", config.get("torch_dtype").asText());
        baseConfig.fieldNames().forEachRemaining(f -> {
            if (!f.equals("torch_dtype")) {
                assertEquals(baseConfig.get(f), config.get(f), "config field " + f);
            }
        });
        for (String f : TOKENIZER_FILES) {
            assertArrayEquals(Files.readAllBytes(base.resolve(f)), Files.readAllBytes(m.directory().resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "temp left");
        }
    }

    @Test
    void shardsAboveTheLimitWithAConsistentIndex() throws Exception {
        Path base = tmp.resolve("base");
        TinyModel.write(base, TinySpec.defaults());
        Path adapter = trainedLookingAdapter(base, tmp.resolve("adapter"));
        float[] expected = logitsWithAdapter(base, adapter);

        MergedModel m = MergedModelExporter.export(base, adapter, tmp.resolve("sharded"),
                MergeOptions.defaults().withMaxShardBytes(40_000), line -> { });

        int n = m.weightFiles().size();
        assertTrue(n > 2, "expected several shards, got " + m.weightFiles());
        assertEquals(String.format("model-%05d-of-%05d.safetensors", n, n), m.weightFiles().get(n - 1));
        assertFalse(Files.exists(m.directory().resolve(SafetensorsReader.SINGLE_FILE)));
        JsonNode index = JSON.readTree(m.directory().resolve(SafetensorsReader.INDEX_FILE).toFile());
        Map<String, String> shardOf = new HashMap<>();
        long sum = 0;
        for (String shard : m.weightFiles()) {
            try (SafetensorsReader r = SafetensorsReader.open(m.directory().resolve(shard))) {
                long shardBytes = 0;
                for (String name : r.names()) {
                    String before = shardOf.put(name, shard);
                    assertEquals(null, before, name + " is in " + before + " and " + shard);
                    assertEquals(shard, index.get("weight_map").get(name).asText(), "weight_map of " + name);
                    shardBytes += r.info(name).shape().size() * 4;
                }
                assertTrue(shardBytes <= 40_000 || r.names().size() == 1, shard + " holds " + shardBytes + " bytes");
                sum += shardBytes;
            }
        }
        assertEquals(shardOf.size(), index.get("weight_map").size(), "weight_map names only stored tensors");
        assertEquals(m.tensorCount(), shardOf.size());
        assertEquals(sum, index.get("metadata").get("total_size").asLong(), "total_size = sum of tensor bytes");
        assertTrue(maxAbsDiff(expected, logits(m.directory(), null)) <= 1e-5, "sharded merged vs base+adapter");
    }

    @Test
    void tiedEmbeddingsStayTiedAndHalfPrecisionIsStoredAsAsked() throws Exception {
        Path base = tmp.resolve("tied");
        TinyModel.write(base, TinySpec.defaults().withTiedEmbeddings(true));
        Path adapter = trainedLookingAdapter(base, tmp.resolve("adapter"));
        float[] expected = logitsWithAdapter(base, adapter);

        MergedModel m = MergedModelExporter.export(base, adapter, tmp.resolve("bf16"),
                MergeOptions.defaults().withDtype(SafetensorsDtype.BF16), line -> { });

        assertEquals("bfloat16", JSON.readTree(m.directory().resolve("config.json").toFile()).get("torch_dtype")
                .asText());
        try (SafetensorsReader r = SafetensorsReader.open(m.directory())) {
            assertFalse(r.contains(WeightNames.LM_HEAD), "tied: no lm_head.weight");
            r.names().forEach(n -> assertEquals(SafetensorsDtype.BF16, r.info(n).dtype(), n));
        }
        double diff = maxAbsDiff(expected, logits(m.directory(), null));
        assertTrue(diff > 0 && diff < 0.1, "bf16 rounding moves logits a little: " + diff);
    }

    @Test
    void aFullFineTuneRoundTripsExactly() throws Exception {
        Path base = tmp.resolve("base");
        TinyModel.write(base, TinySpec.defaults());
        Path tuned;
        try (LlamaModel model = LlamaModel.load(base, DeviceSettings.cpu())) {
            Map<String, NDArray> weights = new LinkedHashMap<>(model.parameters());
            weights.put(WeightNames.FINAL_NORM, weights.get(WeightNames.FINAL_NORM).mul(1.5f));
            tuned = FullModelFiles.export(base, weights, tmp.resolve("full"));
        }
        MergedModel m = MergedModelExporter.export(tuned, null, tmp.resolve("exported"), MergeOptions.defaults(),
                line -> { });

        assertFalse(m.adapterMerged());
        try (SafetensorsReader a = SafetensorsReader.open(tuned); SafetensorsReader b = SafetensorsReader.open(
                m.directory()); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(a.names(), b.names());
            for (String n : a.names()) {
                assertArrayEquals(a.read(n, manager).toFloatArray(), b.read(n, manager).toFloatArray(), n);
            }
        }
    }

    @Test
    void anAdapterOfAnotherBaseLeavesNoOutput() throws Exception {
        Path base = tmp.resolve("base");
        TinyModel.write(base, TinySpec.defaults());
        Path other = tmp.resolve("other");
        TinyModel.write(other, TinySpec.defaults().withSizes(32, 2, 4, 2, 96));
        Path adapter = trainedLookingAdapter(other, tmp.resolve("adapter"));
        Path out = tmp.resolve("out");

        MalformedAdapterException e = assertThrows(MalformedAdapterException.class,
                () -> MergedModelExporter.export(base, adapter, out, MergeOptions.defaults(), line -> { }));

        assertTrue(e.getMessage().contains("q_proj"), e.getMessage());
        assertFalse(Files.exists(out), "no output after a failed export");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "temp left");
        }
        Files.createDirectories(out.resolve("x"));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> MergedModelExporter.export(base, null, out, MergeOptions.defaults(), line -> { }));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }

    /** A LoRA adapter on all seven projections with non-zero A and B (as after training), saved in PEFT format. */
    static Path trainedLookingAdapter(Path base, Path dir) {
        try (LlamaModel model = LlamaModel.load(base, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.attach(model, new LoraConfig(4, 8, 0, List.of("q_proj", "k_proj",
                     "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"), false), 7);
             NDManager scratch = NDManager.newBaseManager()) {
            Random random = new Random(11);
            lora.layers().values().forEach(layer -> {
                Shape shape = layer.loraB().getShape();
                float[] b = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * 0.05);
                }
                layer.assign(layer.loraA(), scratch.create(b, shape));
            });
            lora.save(dir, base.toString());
        }
        return dir;
    }

    private static float[] logitsWithAdapter(Path base, Path adapter) {
        return logits(base, adapter);
    }

    /** Logits (1, T, V) of TOKENS, flattened. */
    private static float[] logits(Path modelDir, Path adapter) {
        try (LlamaModel model = LlamaModel.load(modelDir, DeviceSettings.cpu());
             LoraAdapter lora = adapter == null ? null : LoraAdapter.load(adapter, model);
             NDManager manager = NDManager.newBaseManager();
             NDArray ids = manager.create(TOKENS, new Shape(1, TOKENS.length));
             NDArray out = model.forward(ids, null, null)) {
            return out.toFloatArray();
        }
    }

    private static float[] lastPosition(float[] all, int vocab) {
        float[] last = new float[vocab];
        System.arraycopy(all, all.length - vocab, last, 0, vocab);
        return last;
    }

    private static float[] pythonLogits(Path modelDir) throws IOException, InterruptedException {
        StringBuilder tokens = new StringBuilder();
        for (long t : TOKENS) {
            tokens.append(tokens.length() == 0 ? "" : ",").append(t);
        }
        Path script = Path.of("src/test/python/llama_reference.py").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "logits", "--model",
                modelDir.toString(), "--tokens", tokens.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python reference timed out");
        assertEquals(0, p.exitValue(), "python reference failed: " + out);
        JsonNode logits = JSON.readTree(out).get("logits");
        float[] v = new float[logits.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) logits.get(i).asDouble();
        }
        return v;
    }

    private static double maxAbsDiff(float[] x, float[] y) {
        assertEquals(x.length, y.length, "lengths");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
        }
        return worst;
    }
}
