package io.tuneforge.tuning.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * config.json of released models (field names and values as published on the Hugging Face hub),
 * and the configs that must be refused.
 */
class ModelConfigTest {

    static final String LLAMA_3_2_1B_INSTRUCT = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": [128001, 128008, 128009],
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 8192,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 16,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.45.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }""";

    static final String QWEN2_5_0_5B = """
            {
              "architectures": ["Qwen2ForCausalLM"],
              "attention_dropout": 0.0,
              "bos_token_id": 151643,
              "eos_token_id": 151643,
              "hidden_act": "silu",
              "hidden_size": 896,
              "initializer_range": 0.02,
              "intermediate_size": 4864,
              "max_position_embeddings": 32768,
              "max_window_layers": 24,
              "model_type": "qwen2",
              "num_attention_heads": 14,
              "num_hidden_layers": 24,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-06,
              "rope_theta": 1000000.0,
              "sliding_window": 32768,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.40.1",
              "use_cache": true,
              "use_sliding_window": false,
              "vocab_size": 151936
            }""";

    static final String SMOLLM2_135M = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 0,
              "eos_token_id": 0,
              "hidden_act": "silu",
              "hidden_size": 576,
              "initializer_range": 0.041666666666666664,
              "intermediate_size": 1536,
              "is_llama_config": true,
              "max_position_embeddings": 8192,
              "model_type": "llama",
              "num_attention_heads": 9,
              "num_hidden_layers": 30,
              "num_key_value_heads": 3,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_interleaved": false,
              "rope_scaling": null,
              "rope_theta": 100000,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.42.3",
              "use_cache": true,
              "vocab_size": 49152
            }""";

    static final String MISTRAL_7B_V0_1 = """
            {
              "architectures": ["MistralForCausalLM"],
              "bos_token_id": 1,
              "eos_token_id": 2,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 32768,
              "model_type": "mistral",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "rms_norm_eps": 1e-05,
              "rope_theta": 10000.0,
              "sliding_window": 4096,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.34.0.dev0",
              "use_cache": true,
              "vocab_size": 32000
            }""";

    @Test
    void llama32() {
        ModelConfig c = ModelConfig.fromJson(LLAMA_3_2_1B_INSTRUCT);
        assertEquals(ModelConfig.LLAMA, c.architecture());
        assertEquals(64, c.headDim());
        assertEquals(4, c.numKeyValueGroups());
        assertEquals(RopeScaling.llama3(32, 1, 4, 8192), c.ropeScaling());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertTrue(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertNull(c.padTokenId());
        assertEquals("bfloat16", c.torchDtype());
        assertEquals(1_235_814_400L, c.parameterCount(), "published parameter count of Llama-3.2-1B");
    }

    @Test
    void qwen25() {
        ModelConfig c = ModelConfig.fromJson(QWEN2_5_0_5B);
        assertEquals("qwen2", c.modelType());
        assertTrue(c.attentionBias(), "Qwen2 always has q/k/v bias");
        assertFalse(c.attentionOutputBias());
        assertNull(c.slidingWindow(), "use_sliding_window false: the sliding_window field is not in use");
        assertEquals(List.of(151643), c.eosTokenIds());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(494_032_768L, c.parameterCount(), "published parameter count of Qwen2.5-0.5B");
    }

    @Test
    void smolLm2() {
        ModelConfig c = ModelConfig.fromJson(SMOLLM2_135M);
        assertEquals(64, c.headDim());
        assertEquals(3, c.numKeyValueGroups());
        assertNull(c.ropeScaling());
        assertEquals(100000.0, c.ropeTheta());
        assertEquals(134_515_008L, c.parameterCount(), "published parameter count of SmolLM2-135M");
    }

    @Test
    void mistral() {
        ModelConfig c = ModelConfig.fromJson(MISTRAL_7B_V0_1);
        assertEquals(Integer.valueOf(4096), c.slidingWindow());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(7_241_732_096L, c.parameterCount(), "published parameter count of Mistral-7B-v0.1");
    }

    @Test
    void writtenConfigReadsBackEqual() {
        for (String json : new String[] {LLAMA_3_2_1B_INSTRUCT, QWEN2_5_0_5B, SMOLLM2_135M, MISTRAL_7B_V0_1}) {
            ModelConfig c = ModelConfig.fromJson(json);
            assertEquals(c, ModelConfig.fromJson(c.toJson()));
        }
    }

    @Test
    void legacyTypeKeyLinearScalingAndTransformers5RopeParameters() {
        ModelConfig linear = ModelConfig.fromJson(SMOLLM2_135M.replace("\"rope_scaling\": null",
                "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}"));
        assertEquals(RopeScaling.linear(2.0), linear.ropeScaling());
        double[] plain = RotaryEmbedding.inverseFrequencies(64, 100000, null);
        double[] scaled = RotaryEmbedding.inverseFrequencies(64, 100000, linear.ropeScaling());
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] / 2, scaled[i], 1e-15);
        }
        ModelConfig v5 = ModelConfig.fromJson(SMOLLM2_135M.replace("\"rope_theta\": 100000,", "")
                .replace("\"rope_scaling\": null", "\"rope_parameters\": {\"rope_type\": \"default\","
                        + " \"rope_theta\": 250000.0}"));
        assertEquals(250000.0, v5.ropeTheta());
        assertNull(v5.ropeScaling());
    }

    @Test
    void llama3FrequencyBands() {
        // Llama 3.2: head 64, theta 500000, factor 32, bands at wavelengths 8192/4 and 8192/1.
        double[] plain = RotaryEmbedding.inverseFrequencies(64, 500000, null);
        double[] scaled = RotaryEmbedding.inverseFrequencies(64, 500000, RopeScaling.llama3(32, 1, 4, 8192));
        int kept = 0;
        int divided = 0;
        int blended = 0;
        for (int i = 0; i < plain.length; i++) {
            double wavelength = 2 * Math.PI / plain[i];
            if (wavelength < 2048) {
                assertEquals(plain[i], scaled[i], 0.0);
                kept++;
            } else if (wavelength > 8192) {
                assertEquals(plain[i] / 32, scaled[i], plain[i] * 1e-15);
                divided++;
            } else {
                assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 32, "blend at " + i);
                blended++;
            }
        }
        // 2π·500000^(i/32) < 2048 ⇔ i ≤ 14;  > 8192 ⇔ i ≥ 18
        assertArrayEquals(new int[] {15, 14, 3}, new int[] {kept, divided, blended});
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(json)).getMessage();
    }

    @Test
    void unsupportedThingsAreRefusedByFieldAndValue() {
        String m = refusal(SMOLLM2_135M.replace("LlamaForCausalLM", "GPT2LMHeadModel"));
        assertTrue(m.contains("'architectures'") && m.contains("GPT2LMHeadModel") && m.contains("Qwen2ForCausalLM"), m);

        m = refusal(SMOLLM2_135M.replace("\"model_type\": \"llama\"", "\"model_type\": \"gemma\""));
        assertTrue(m.contains("'model_type'") && m.contains("gemma") && m.contains("llama"), m);

        m = refusal(QWEN2_5_0_5B.replace("\"model_type\": \"qwen2\"", "\"model_type\": \"llama\""));
        assertTrue(m.contains("does not match") && m.contains("qwen2"), m);

        m = refusal(SMOLLM2_135M.replace("\"silu\"", "\"gelu_pytorch_tanh\""));
        assertTrue(m.contains("'hidden_act'") && m.contains("gelu_pytorch_tanh") && m.contains("silu"), m);

        m = refusal(QWEN2_5_0_5B.replace("\"rope_theta\": 1000000.0,",
                "\"rope_theta\": 1000000.0, \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0,"
                        + " \"original_max_position_embeddings\": 32768},"));
        assertTrue(m.contains("rope_scaling.rope_type") && m.contains("yarn") && m.contains("llama3"), m);

        m = refusal(SMOLLM2_135M.replace("\"rope_scaling\": null",
                "\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 2.0}"));
        assertTrue(m.contains("dynamic") && m.contains("linear"), m);

        m = refusal(QWEN2_5_0_5B.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"));
        assertTrue(m.contains("'use_sliding_window'") && m.contains("true") && m.contains("supported"), m);

        m = refusal(SMOLLM2_135M.replace("\"rope_interleaved\": false", "\"rope_interleaved\": true"));
        assertTrue(m.contains("'rope_interleaved'") && m.contains("rotate_half"), m);

        m = refusal(SMOLLM2_135M.replace("\"num_key_value_heads\": 3", "\"num_key_value_heads\": 4"));
        assertTrue(m.contains("num_attention_heads = 9") && m.contains("num_key_value_heads = 4"), m);

        m = refusal(SMOLLM2_135M.replace("\"hidden_size\": 576,", ""));
        assertTrue(m.contains("'hidden_size'") && m.contains("required"), m);

        m = refusal(LLAMA_3_2_1B_INSTRUCT.replace("\"low_freq_factor\": 1.0,", ""));
        assertTrue(m.contains("rope_scaling.low_freq_factor"), m);

        m = refusal("[1, 2]");
        assertTrue(m.contains("JSON object"), m);
    }
}
