package io.tuneforge.tuning.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of a Llama-family decoder, read from a Hugging Face {@code config.json}.
 *
 * <p>One decoder with switches covers Llama 2/3/3.x ({@code LlamaForCausalLM}, also SmolLM/SmolLM2),
 * Qwen2/2.5 ({@code Qwen2ForCausalLM}: q/k/v bias, usually tied embeddings) and Mistral
 * ({@code MistralForCausalLM}: optional sliding window). Anything else is refused when read, with
 * the field, its value and what is supported; see {@link HfConfigJson}.
 *
 * @param architecture the Hugging Face class, e.g. {@code LlamaForCausalLM}
 * @param modelType {@code llama}, {@code qwen2} or {@code mistral}
 * @param vocabSize rows of the embedding and of the LM head
 * @param hiddenSize width of the residual stream (D)
 * @param intermediateSize width of the SwiGLU MLP (I)
 * @param numHiddenLayers decoder layers (L)
 * @param numAttentionHeads query heads (nH)
 * @param numKeyValueHeads key/value heads (nKv), dividing nH (grouped-query attention)
 * @param headDim width of one head (hd); {@code head_dim} when given, else D / nH
 * @param maxPositionEmbeddings longest sequence the rotary tables cover
 * @param rmsNormEps epsilon inside RMSNorm's square root
 * @param ropeTheta rotary base
 * @param ropeScaling null for plain RoPE
 * @param attentionBias bias on q/k/v projections (Qwen2; Llama with {@code attention_bias})
 * @param attentionOutputBias bias on o_proj (Llama with {@code attention_bias} only)
 * @param mlpBias bias on gate/up/down (Llama with {@code mlp_bias})
 * @param tieWordEmbeddings LM head shares the embedding matrix
 * @param slidingWindow Mistral's attention window in tokens, or null for full causal attention
 * @param bosTokenId may be null
 * @param eosTokenIds every id that ends generation (possibly empty, never null)
 * @param padTokenId may be null
 * @param torchDtype the stored weights' dtype as written in the config ({@code bfloat16}, …), may be null
 */
public record ModelConfig(
        String architecture,
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean attentionBias,
        boolean attentionOutputBias,
        boolean mlpBias,
        boolean tieWordEmbeddings,
        Integer slidingWindow,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        String torchDtype) {

    public static final String LLAMA = "LlamaForCausalLM";
    public static final String QWEN2 = "Qwen2ForCausalLM";
    public static final String MISTRAL = "MistralForCausalLM";
    /** Supported Hugging Face architectures and their {@code model_type}. */
    public static final Map<String, String> SUPPORTED_ARCHITECTURES =
            Map.of(LLAMA, "llama", QWEN2, "qwen2", MISTRAL, "mistral");

    public ModelConfig {
        Objects.requireNonNull(architecture, "architecture");
        String expectedType = SUPPORTED_ARCHITECTURES.get(architecture);
        if (expectedType == null) {
            throw new IllegalArgumentException("architecture '" + architecture + "' is not supported; supported: "
                    + HfConfigJson.supportedList());
        }
        if (!expectedType.equals(modelType)) {
            throw new IllegalArgumentException("model_type '" + modelType + "' does not match architecture '"
                    + architecture + "' (expected '" + expectedType + "')");
        }
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads = " + numAttentionHeads
                    + " is not a multiple of num_key_value_heads = " + numKeyValueHeads
                    + "; grouped-query attention needs each key/value head to serve a whole number of query heads");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim = " + headDim + " must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps = " + rmsNormEps + " must be > 0");
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("rope_theta = " + ropeTheta + " must be > 0");
        }
        if (slidingWindow != null && slidingWindow <= 0) {
            throw new IllegalArgumentException("sliding_window = " + slidingWindow + " must be > 0 or null");
        }
        eosTokenIds = List.copyOf(Objects.requireNonNull(eosTokenIds, "eosTokenIds"));
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " = " + value + " must be > 0");
        }
    }

    /** Reads a Hugging Face {@code config.json} (or the directory holding it). */
    public static ModelConfig read(Path configJson) {
        Path file = Files.isDirectory(configJson) ? configJson.resolve("config.json") : configJson;
        try {
            return HfConfigJson.parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a Hugging Face {@code config.json}. */
    public static ModelConfig fromJson(String json) {
        return HfConfigJson.parse(json, "config.json");
    }

    /** This config as Hugging Face {@code config.json} text (readable by {@code transformers}). */
    public String toJson() {
        return HfConfigJson.write(this);
    }

    /** Writes {@code config.json} into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config.json into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Query heads per key/value head (nH / nKv). */
    public int numKeyValueGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Total parameter count (LM head counted once when tied). */
    public long parameterCount() {
        long d = hiddenSize;
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long attention = d * q + 2 * d * kv + q * d
                + (attentionBias ? q + 2 * kv : 0) + (attentionOutputBias ? d : 0);
        long mlp = 3 * d * intermediateSize + (mlpBias ? 2L * intermediateSize + d : 0);
        long layer = attention + mlp + 2 * d;
        long embed = (long) vocabSize * d;
        return embed + numHiddenLayers * layer + d + (tieWordEmbeddings ? 0 : embed);
    }
}
