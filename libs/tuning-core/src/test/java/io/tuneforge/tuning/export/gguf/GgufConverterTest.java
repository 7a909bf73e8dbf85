package io.tuneforge.tuning.export.gguf;

import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.model.RopeScaling;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.weights.FloatBits;
import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Converts the tiny model and reads every tensor back: exact for f32, within the f16 rounding bound for f16,
 * within 0.5625·d (d = the block's stored scale) for q8_0 and |d|·(1 + 2^-9) for q4_0 (its clamped end); metadata round trip.
 */
class GgufConverterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(GgufType.class)
    void everyTensorReadsBackWithinItsTypesBound(GgufType type) throws Exception {
        Path model = tmp.resolve("tiny");
        ModelConfig c = TinyModel.write(model, TinySpec.defaults().withSizes(64, 2, 4, 2, 192));
        GgufSummary summary = GgufConverter.convert(model, type, tmp.resolve("tiny-" + type.label() + ".gguf"));
        GgufFile gguf = GgufReader.read(summary.file());
        assertEquals(3 + 9 * c.numHiddenLayers(), gguf.tensors().size(), "token_embd + 9 per block + "
                + "output_norm + output");
        assertEquals(summary.fileBytes(), Files.size(summary.file()));
        try (SafetensorsReader hf = SafetensorsReader.open(model)) {
            check(gguf, hf, "token_embd.weight", "model.embed_tokens.weight", type, null);
            check(gguf, hf, "output.weight", "lm_head.weight", type, null);
            check(gguf, hf, "output_norm.weight", "model.norm.weight", GgufType.F32, null);
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                String b = "blk." + i + ".";
                String h = "model.layers." + i + ".";
                check(gguf, hf, b + "attn_norm.weight", h + "input_layernorm.weight", GgufType.F32, null);
                check(gguf, hf, b + "ffn_norm.weight", h + "post_attention_layernorm.weight", GgufType.F32, null);
                check(gguf, hf, b + "attn_q.weight", h + "self_attn.q_proj.weight", type, c.numAttentionHeads());
                check(gguf, hf, b + "attn_k.weight", h + "self_attn.k_proj.weight", type, c.numKeyValueHeads());
                check(gguf, hf, b + "attn_v.weight", h + "self_attn.v_proj.weight", type, null);
                check(gguf, hf, b + "attn_output.weight", h + "self_attn.o_proj.weight", type, null);
                check(gguf, hf, b + "ffn_gate.weight", h + "mlp.gate_proj.weight", type, null);
                check(gguf, hf, b + "ffn_up.weight", h + "mlp.up_proj.weight", type, null);
                check(gguf, hf, b + "ffn_down.weight", h + "mlp.down_proj.weight", type, null);
            }
        }
    }

    /** Compares one GGUF tensor with the Hugging Face one (rows un-permuted independently for Q/K). */
    private static void check(GgufFile gguf, SafetensorsReader hf, String name, String hfName, GgufType type,
                              Integer heads) {
        GgufTensorInfo info = gguf.tensor(name);
        assertEquals(type, info.type(), name + " type");
        long[] shape = hf.info(hfName).shape().getShape();
        assertArrayEquals(shape, info.shape(), name + " shape");
        float[] expected = hf.readFloats(hfName);
        float[] actual = gguf.readFloats(name);
        int cols = (int) shape[shape.length - 1];
        if (heads != null) {
            actual = unpermute(actual, (int) shape[0], heads);
        }
        for (int i = 0; i < expected.length; i++) {
            double bound = bound(type, expected, actual, i);
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(name + "[" + i + "] = " + actual[i] + " but the model has " + expected[i] + " (" + type
                        + " bound " + bound + ")");
            }
        }
    }

    /**
     * Hugging Face row order from llama.cpp's, independent of {@link GgufConverter#permuteRows}: llama.cpp row r of
     * head h holds element r % 2 of rotary pair r / 2, i.e. HF row (r % 2)·hd/2 + r / 2 of that head.
     */
    static float[] unpermute(float[] rowsLlamaCpp, int rows, int heads) {
        int cols = rowsLlamaCpp.length / rows;
        int hd = rows / heads;
        float[] back = new float[rowsLlamaCpp.length];
        for (int r = 0; r < rows; r++) {
            int h = r / hd;
            int within = r % hd;
            int hfRow = h * hd + (within % 2) * (hd / 2) + within / 2;
            System.arraycopy(rowsLlamaCpp, r * cols, back, hfRow * cols, cols);
        }
        return back;
    }

    /** The per-element error bound of a type (see {@link GgufCodec}); d from the block's own values. */
    private static double bound(GgufType type, float[] x, float[] back, int i) {
        switch (type) {
            case F32:
                return 0;
            case F16:
                return Math.max(Math.abs(x[i]) * 0x1p-11, 0x1p-25);
            default:
                int start = i / 32 * 32;
                float amax = 0;
                for (int j = start; j < start + 32; j++) {
                    amax = Math.max(amax, Math.abs(x[j]));
                }
                float d = FloatBits.f16ToFloat(FloatBits.floatToF16(type == GgufType.Q8_0 ? amax / 127f : amax / 8f));
                return type == GgufType.Q8_0 ? 0.5625 * d : 1.002 * d;
        }
    }

    @Test
    void metadataRoundTripsWithTheConfigAndTokenizer() throws Exception {
        Path model = tmp.resolve("tiny");
        ModelConfig c = TinyModel.write(model, TinySpec.defaults());
        GgufSummary summary = GgufConverter.convert(model, GgufType.Q8_0, tmp.resolve("out/tiny.gguf"));
        GgufFile g = GgufReader.read(summary.file());
        assertEquals(3, g.version());
        assertEquals("llama", g.get("general.architecture").asString());
        assertEquals(7, g.get("general.file_type").asLong());
        assertEquals(32, g.get("general.alignment").asLong());
        assertEquals(c.hiddenSize(), g.get("llama.embedding_length").asLong());
        assertEquals(c.numHiddenLayers(), g.get("llama.block_count").asLong());
        assertEquals(c.intermediateSize(), g.get("llama.feed_forward_length").asLong());
        assertEquals(c.numAttentionHeads(), g.get("llama.attention.head_count").asLong());
        assertEquals(c.numKeyValueHeads(), g.get("llama.attention.head_count_kv").asLong());
        assertEquals(c.headDim(), g.get("llama.rope.dimension_count").asLong());
        assertEquals(c.maxPositionEmbeddings(), g.get("llama.context_length").asLong());
        assertEquals(c.vocabSize(), g.get("llama.vocab_size").asLong());
        assertEquals((float) c.ropeTheta(), (float) g.get("llama.rope.freq_base").asDouble());
        assertEquals((float) c.rmsNormEps(), (float) g.get("llama.attention.layer_norm_rms_epsilon").asDouble());
        assertEquals("gpt2", g.get("tokenizer.ggml.model").asString());
        assertEquals("gpt-2", g.get("tokenizer.ggml.pre").asString());
        List<?> tokens = g.get("tokenizer.ggml.tokens").asList();
        List<?> types = g.get("tokenizer.ggml.token_type").asList();
        assertEquals(c.vocabSize(), tokens.size());
        assertEquals("Ġ", tokens.get(' '));
        assertEquals("<|im_end|>", tokens.get(TinySpec.IM_END_ID));
        assertEquals("[PAD300]", tokens.get(300));
        assertEquals(List.of(1L, 3L, 5L), List.of(types.get('a'), types.get(TinySpec.IM_START_ID), types.get(300)));
        assertEquals((long) TinySpec.IM_END_ID, g.get("tokenizer.ggml.eos_token_id").asLong());
        assertEquals((long) TinySpec.END_OF_TEXT_ID, g.get("tokenizer.ggml.padding_token_id").asLong());
        assertFalse(g.metadata().containsKey("tokenizer.ggml.bos_token_id"), "the tiny tokenizer has no BOS");
        assertTrue(g.get("tokenizer.chat_template").asString().contains("<|im_start|>"));
        // ffn_down has rows of 176: not whole q8_0 blocks, so f16 like llama.cpp's converter
        assertEquals(GgufType.F16, g.tensor("blk.0.ffn_down.weight").type());
        assertTrue(summary.warnings().stream().anyMatch(w -> w.startsWith("blk.0.ffn_down.weight has rows of 176")));
        String modelfile = Files.readString(summary.modelfile());
        assertTrue(modelfile.contains("FROM ./tiny.gguf\n"), modelfile);
        assertTrue(modelfile.contains("PARAMETER stop \"<|im_end|>\"\n"), modelfile);
        assertTrue(modelfile.contains("TEMPLATE \"\"\"{{ if .System }}<|im_start|>system"), modelfile);
    }

    @Test
    void tiedQwen2KeepsBiasesUnpermutedAndLeavesOutOutput() throws Exception {
        Path model = tmp.resolve("qwen");
        ModelConfig c = TinyModel.write(model, TinySpec.defaults().asQwen2());
        GgufFile g = GgufReader.read(GgufConverter.convert(model, GgufType.F32, tmp.resolve("q.gguf")).file());
        assertEquals("qwen2", g.get("general.architecture").asString());
        assertEquals(c.numHiddenLayers(), g.get("qwen2.block_count").asLong());
        assertFalse(g.tensors().stream().anyMatch(t -> t.name().equals("output.weight")), "tied: no output.weight");
        try (SafetensorsReader hf = SafetensorsReader.open(model)) {
            assertArrayEquals(hf.readFloats("model.layers.1.self_attn.q_proj.bias"), g.readFloats("blk.1.attn_q.bias"));
            assertArrayEquals(hf.readFloats("model.layers.1.self_attn.k_proj.weight"),
                    g.readFloats("blk.1.attn_k.weight"));
        }
    }

    @Test
    void llama3RopeScalingBecomesRopeFreqs() throws Exception {
        Path model = tmp.resolve("l3");
        TinyModel.write(model, TinySpec.defaults().withRopeScaling(RopeScaling.llama3(8, 1, 4, 64)));
        GgufFile g = GgufReader.read(GgufConverter.convert(model, GgufType.F16, tmp.resolve("l3.gguf")).file());
        float[] f = g.readFloats("rope_freqs.weight");
        assertEquals(GgufType.F32, g.tensor("rope_freqs.weight").type());
        assertEquals(8, f.length, "head_dim 16 → 8 frequencies");
        // theta 10000, hd 16: wavelength of frequency i is 2π·10000^(i/8); short ones (< 64/4 = 16) keep 1,
        // long ones (> 64) are divided by the factor 8, the band between is smoothed.
        assertEquals(1f, f[0]);
        assertEquals(8f, f[7]);
        List<Float> all = new ArrayList<>();
        for (float v : f) {
            all.add(v);
            assertTrue(v >= 1f && v <= 8f, "factor " + v + " outside [1, 8]");
        }
        for (int i = 1; i < f.length; i++) {
            assertTrue(f[i] >= f[i - 1], "factors rise with wavelength: " + all);
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheTensorAndTheDataSection() throws Exception {
        Path model = tmp.resolve("tiny");
        TinyModel.write(model, TinySpec.defaults());
        Path gguf = GgufConverter.convert(model, GgufType.F16, tmp.resolve("t.gguf")).file();
        byte[] bytes = Files.readAllBytes(gguf);
        Path cut = tmp.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GgufReader.read(cut));
        assertTrue(e.getMessage().contains("tensor 'output.weight'") && e.getMessage().contains("truncated"),
                e.getMessage());
        Files.write(cut, java.util.Arrays.copyOf(bytes, 2000));
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GgufReader.read(cut));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void aSentencePieceTokenizerIsRefusedSayingWhatIsSupported() throws Exception {
        Path model = tmp.resolve("sp");
        TinyModel.write(model, TinySpec.defaults());
        Path tokenizer = model.resolve("tokenizer.json");
        Files.writeString(tokenizer, Files.readString(tokenizer).replace("\"byte_fallback\" : false",
                "\"byte_fallback\" : true"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GgufConverter.convert(model, GgufType.F32, tmp.resolve("sp.gguf")));
        assertTrue(e.getMessage().contains("byte-level BPE"), e.getMessage());
    }

    @Test
    void typesParseFromTheirLabelsAndAnUnknownOneIsNamed() {
        assertEquals(GgufType.Q8_0, GgufType.parse("q8_0"));
        assertEquals(GgufType.F16, GgufType.parse("F16"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GgufType.parse("q4_k_m"));
        assertEquals("GGUF type 'q4_k_m' is not supported; use one of f32, f16, q4_0, q8_0", e.getMessage());
    }
}
