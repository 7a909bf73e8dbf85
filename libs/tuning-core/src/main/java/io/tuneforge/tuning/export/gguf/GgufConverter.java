package io.tuneforge.tuning.export.gguf;

import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.model.Projection;
import io.tuneforge.tuning.model.RopeScaling;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.WeightNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Converts a Hugging Face Llama-family model directory into one GGUF v3 file for llama.cpp and
 * Ollama, as {@code convert_hf_to_gguf.py} does for the same models.
 *
 * <ol>
 *   <li>Architecture: Llama and Mistral → {@code llama}; Qwen2 → {@code qwen2} (llama.cpp's qwen2 graph has the
 *       q/k/v biases and rotates NeoX-style, so its Q/K are not permuted). Mistral's sliding window is not
 *       stored (llama.cpp's llama graph attends to the whole context) — a warning says so.</li>
 *   <li>Names: {@code token_embd}, {@code blk.N.attn_norm/attn_q/attn_k/attn_v/attn_output/ffn_norm/ffn_gate/
 *       ffn_up/ffn_down}, {@code output_norm}, {@code output} (left out when the embeddings are tied: llama.cpp
 *       then reuses token_embd), biases as {@code .bias}.</li>
 *   <li>Q/K rows (llama only): Hugging Face rotates pairs (i, i + hd/2) of each head, llama.cpp's "normal" rope
 *       rotates (2i, 2i + 1), so row {@code h·hd + 2j + s} of the GGUF tensor is row {@code h·hd + s·hd/2 + j}
 *       of q_proj/k_proj (K with the key/value head count).</li>
 *   <li>Types: 1-D tensors stay f32; 2-D take the requested type, and a quantized type falls back to f16 for a
 *       tensor whose rows are not a multiple of 32 elements (as the reference converter does).</li>
 *   <li>Rope: llama3 scaling is stored as the {@code rope_freqs.weight} tensor of per-frequency divisors; linear
 *       scaling as {@code rope.scaling.type/factor}.</li>
 * </ol>
 */
public final class GgufConverter {

    private static final Map<Projection, String> NAMES = Map.of(Projection.Q_PROJ, "attn_q",
            Projection.K_PROJ, "attn_k", Projection.V_PROJ, "attn_v", Projection.O_PROJ, "attn_output",
            Projection.GATE_PROJ, "ffn_gate", Projection.UP_PROJ, "ffn_up", Projection.DOWN_PROJ, "ffn_down");

    private GgufConverter() {
    }

    /**
     * Converts a Hugging Face Llama-family model directory (config.json, *.safetensors [+index], tokenizer.json,
     * tokenizer_config.json, optional generation_config.json) into one GGUF v3 file, and writes an Ollama
     * {@code Modelfile} next to it.
     *
     * @return a summary of the file written
     * @throws IllegalArgumentException when the model does not fit the config, or its tokenizer is not byte-level BPE
     */
    public static GgufSummary convert(Path hfModelDir, GgufType type, Path outputFile) throws IOException {
        ModelConfig c = ModelConfig.read(hfModelDir);
        List<String> warnings = new ArrayList<>();
        String arch = ModelConfig.QWEN2.equals(c.architecture()) ? "qwen2" : "llama";
        if (c.slidingWindow() != null) {
            warnings.add("sliding_window = " + c.slidingWindow() + " is not stored: llama.cpp's llama graph attends"
                    + " to the whole context, so outputs differ from Hugging Face beyond " + c.slidingWindow()
                    + " tokens");
        }
        GgufWriter w = new GgufWriter();
        putModelMetadata(w, c, arch, name(hfModelDir), type);
        GgufVocab.addTo(w, hfModelDir, c.vocabSize(), warnings);
        try (SafetensorsReader weights = SafetensorsReader.open(hfModelDir)) {
            Map<String, Shape> found = new TreeMap<>();
            weights.names().forEach(n -> found.put(n, weights.info(n).shape()));
            List<String> problems = WeightNames.problems(c, found);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("weights in " + hfModelDir + " do not fit its config.json: "
                        + String.join("; ", problems));
            }
            addTensors(w, c, arch, weights, type, warnings);
            long bytes = w.write(outputFile);
            Map<String, Integer> byType = new TreeMap<>();
            long parameters = 0;
            for (GgufTensorInfo t : w.tensorInfos()) {
                byType.merge(t.typeLabel(), 1, Integer::sum);
                parameters += t.elementCount();
            }
            Path modelfile = OllamaModelfile.write(outputFile, hfModelDir);
            return new GgufSummary(outputFile, modelfile, type, arch, w.tensorInfos().size(), byType, parameters,
                    bytes, w.metadata().size(), warnings);
        }
    }

    private static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? "model" : n.toString();
    }

    private static void putModelMetadata(GgufWriter w, ModelConfig c, String arch, String name, GgufType type) {
        w.put("general.architecture", GgufValue.string(arch));
        w.put("general.name", GgufValue.string(name));
        w.put("general.alignment", GgufValue.uint32(GgufWriter.ALIGNMENT));
        w.put("general.file_type", GgufValue.uint32(type.fileType()));
        w.put("general.quantization_version", GgufValue.uint32(2));
        w.put(arch + ".vocab_size", GgufValue.uint32(c.vocabSize()));
        w.put(arch + ".context_length", GgufValue.uint32(c.maxPositionEmbeddings()));
        w.put(arch + ".embedding_length", GgufValue.uint32(c.hiddenSize()));
        w.put(arch + ".block_count", GgufValue.uint32(c.numHiddenLayers()));
        w.put(arch + ".feed_forward_length", GgufValue.uint32(c.intermediateSize()));
        w.put(arch + ".attention.head_count", GgufValue.uint32(c.numAttentionHeads()));
        w.put(arch + ".attention.head_count_kv", GgufValue.uint32(c.numKeyValueHeads()));
        w.put(arch + ".attention.key_length", GgufValue.uint32(c.headDim()));
        w.put(arch + ".attention.value_length", GgufValue.uint32(c.headDim()));
        w.put(arch + ".attention.layer_norm_rms_epsilon", GgufValue.float32(c.rmsNormEps()));
        w.put(arch + ".rope.dimension_count", GgufValue.uint32(c.headDim()));
        w.put(arch + ".rope.freq_base", GgufValue.float32(c.ropeTheta()));
        RopeScaling rs = c.ropeScaling();
        if (rs != null && rs.type().equals(RopeScaling.LINEAR)) {
            w.put(arch + ".rope.scaling.type", GgufValue.string("linear"));
            w.put(arch + ".rope.scaling.factor", GgufValue.float32(rs.factor()));
        }
    }

    private static void addTensors(GgufWriter w, ModelConfig c, String arch, SafetensorsReader r, GgufType type,
                                   List<String> warnings) {
        boolean permute = arch.equals("llama");
        add(w, r, WeightNames.EMBED_TOKENS, "token_embd.weight", type, warnings, null);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String blk = "blk." + i + ".";
            add(w, r, WeightNames.inputNorm(i), blk + "attn_norm.weight", type, warnings, null);
            for (Projection p : Projection.values()) {
                if (p == Projection.GATE_PROJ) {
                    add(w, r, WeightNames.postAttentionNorm(i), blk + "ffn_norm.weight", type, warnings, null);
                }
                Integer heads = !permute ? null
                        : p == Projection.Q_PROJ ? Integer.valueOf(c.numAttentionHeads())
                        : p == Projection.K_PROJ ? Integer.valueOf(c.numKeyValueHeads()) : null;
                add(w, r, WeightNames.weight(i, p), blk + NAMES.get(p) + ".weight", type, warnings, heads);
                if (r.contains(WeightNames.bias(i, p))) {
                    add(w, r, WeightNames.bias(i, p), blk + NAMES.get(p) + ".bias", type, warnings, heads);
                }
            }
        }
        add(w, r, WeightNames.FINAL_NORM, "output_norm.weight", type, warnings, null);
        if (!c.tieWordEmbeddings()) {
            add(w, r, WeightNames.LM_HEAD, "output.weight", type, warnings, null);
        }
        RopeScaling rs = c.ropeScaling();
        if (rs != null && rs.type().equals(RopeScaling.LLAMA3)) {
            float[] factors = llama3RopeFactors(rs, c.ropeTheta(), c.headDim());
            w.addTensor("rope_freqs.weight", new long[] {factors.length}, GgufType.F32, () -> factors);
        }
    }

    /** Adds one Hugging Face tensor under its GGUF name; {@code heads} non-null permutes its rows for llama rope. */
    private static void add(GgufWriter w, SafetensorsReader r, String hfName, String ggufName, GgufType requested,
                            List<String> warnings, Integer heads) {
        long[] shape = r.info(hfName).shape().getShape();
        GgufType t = requested;
        if (shape.length < 2) {
            t = GgufType.F32;
        } else if (requested.quantized() && shape[shape.length - 1] % requested.blockElements() != 0) {
            t = GgufType.F16;
            warnings.add(ggufName + " has rows of " + shape[shape.length - 1] + " elements, not a multiple of "
                    + requested.blockElements() + ": stored as f16 instead of " + requested.label());
        }
        Supplier<float[]> values = heads == null ? () -> r.readFloats(hfName)
                : () -> permuteRows(r.readFloats(hfName), shape[0], heads);
        w.addTensor(ggufName, shape, t, values);
    }

    /**
     * llama.cpp's Q/K row order: per head of {@code hd = rows / heads} rows,
     * {@code out[h·hd + 2j + s] = in[h·hd + s·hd/2 + j]} (s ∈ {0, 1}, j < hd/2). Works for biases (1 column).
     */
    static float[] permuteRows(float[] in, long rows, int heads) {
        int cols = (int) (in.length / rows);
        int hd = (int) (rows / heads);
        if ((long) hd * heads != rows || hd % 2 != 0) {
            throw new IllegalArgumentException(rows + " rows cannot be split into " + heads
                    + " heads of an even width; check num_attention_heads / num_key_value_heads");
        }
        float[] out = new float[in.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < hd / 2; j++) {
                for (int s = 0; s < 2; s++) {
                    int dst = h * hd + 2 * j + s;
                    int src = h * hd + s * hd / 2 + j;
                    System.arraycopy(in, src * cols, out, dst * cols, cols);
                }
            }
        }
        return out;
    }

    /**
     * Llama 3.1 rope scaling as llama.cpp stores it: one divisor per rotary frequency (hd/2 of them). Wavelengths
     * shorter than {@code original / high_freq_factor} keep 1, longer than {@code original / low_freq_factor}
     * get {@code factor}, and the band between is interpolated: 1 / ((1 − s)/factor + s) with
     * s = (original / wavelength − low) / (high − low).
     */
    static float[] llama3RopeFactors(RopeScaling rs, double theta, int headDim) {
        float[] out = new float[headDim / 2];
        double lowWavelen = rs.originalMaxPositionEmbeddings() / rs.lowFreqFactor();
        double highWavelen = rs.originalMaxPositionEmbeddings() / rs.highFreqFactor();
        for (int i = 0; i < out.length; i++) {
            double freq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                out[i] = 1f;
            } else if (wavelen > lowWavelen) {
                out[i] = (float) rs.factor();
            } else {
                double smooth = (rs.originalMaxPositionEmbeddings() / wavelen - rs.lowFreqFactor())
                        / (rs.highFreqFactor() - rs.lowFreqFactor());
                out[i] = (float) (1 / ((1 - smooth) / rs.factor() + smooth));
            }
        }
        return out;
    }
}
