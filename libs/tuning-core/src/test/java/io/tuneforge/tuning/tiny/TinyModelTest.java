package io.tuneforge.tuning.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.WeightNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TinyModelTest {

    @TempDir
    Path dir;

    @Test
    void writesTheSharedPictureInHuggingFaceLayout() throws IOException {
        ModelConfig c = TinyModel.write(dir, TinySpec.defaults());
        for (String f : List.of("config.json", "model.safetensors", "generation_config.json", "tokenizer.json",
                "tokenizer_config.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(c, ModelConfig.read(dir.resolve("config.json")));
        assertEquals(64, c.hiddenSize());
        assertEquals(2, c.numHiddenLayers());
        assertEquals(4, c.numAttentionHeads());
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(176, c.intermediateSize());
        assertEquals(320, c.vocabSize());
        assertEquals(512, c.maxPositionEmbeddings());
        assertEquals(10000.0, c.ropeTheta());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(List.of(258, 256), c.eosTokenIds());
        assertTrue(Files.readString(dir.resolve("generation_config.json")).contains("258"));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights() throws IOException {
        TinyModel.write(dir.resolve("a"), TinySpec.defaults());
        TinyModel.write(dir.resolve("b"), TinySpec.defaults());
        TinyModel.write(dir.resolve("c"), TinySpec.defaults().withSeed(43));
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void weightsAreNormalWithTheSpecifiedSpreadAndNormsAreOne() {
        TinyModel.write(dir, TinySpec.defaults());
        try (SafetensorsReader r = SafetensorsReader.open(dir)) {
            float[] w = r.readFloats("model.layers.0.mlp.gate_proj.weight"); // 11,264 values
            double mean = 0;
            double sq = 0;
            for (float v : w) {
                mean += v;
                sq += v * (double) v;
            }
            mean /= w.length;
            double std = Math.sqrt(sq / w.length - mean * mean);
            assertEquals(0.0, mean, 0.001);
            assertEquals(0.02, std, 0.001);
            for (float v : r.readFloats(WeightNames.FINAL_NORM)) {
                assertEquals(1f, v);
            }
        }
    }

    @Test
    void logitsAreNotAllNearZero() {
        TinyModel.write(dir, TinySpec.defaults());
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager m = NDManager.newBaseManager()) {
            NDArray logits = model.forwardLast(m.create(new long[] {257, 72, 105, 258}, new Shape(1, 4)), null, null);
            float[] v = logits.toFloatArray();
            double sq = 0;
            for (float x : v) {
                sq += x * x;
            }
            double rms = Math.sqrt(sq / v.length);
            assertTrue(rms > 0.08 && rms < 0.5, "logit RMS " + rms + " (≈ √64 · 0.02 = 0.16 expected)");
        }
    }

    @Test
    void variantsAndSizes() {
        ModelConfig qwen = TinyModel.write(dir.resolve("q"), TinySpec.defaults().asQwen2());
        assertTrue(qwen.attentionBias() && qwen.tieWordEmbeddings());
        ModelConfig big = TinySpec.defaults().withSizes(128, 3, 8, 4, 352).toConfig();
        assertEquals(16, big.headDim());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinySpec.defaults().withSizes(64, 2, 4, 3, 176));
        assertTrue(e.getMessage().contains("num_key_value_heads = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinySpec.defaults().withVocabSize(100));
        assertTrue(e.getMessage().contains("vocabSize = 100"), e.getMessage());
    }
}
