package io.tuneforge.trainer.training;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.model.ModelConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory estimate that admission compares with the device, on a Llama 3 8B config and the tiny model. */
class MemoryEstimateTest {

    /** meta-llama/Meta-Llama-3-8B's config.json (the numbers that matter). */
    private static final ModelConfig LLAMA3_8B = ModelConfig.fromJson("{\"architectures\":[\"LlamaForCausalLM\"],"
            + "\"model_type\":\"llama\",\"vocab_size\":128256,\"hidden_size\":4096,\"intermediate_size\":14336,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,"
            + "\"max_position_embeddings\":8192,\"rms_norm_eps\":1e-5,\"rope_theta\":500000.0,"
            + "\"tie_word_embeddings\":false,\"torch_dtype\":\"bfloat16\"}");

    private static TrainingRequest request(String adapter, int batch, int seq) {
        return Json.read("{\"baseModel\":\"s3://tuneforge/models/llama/\",\"dataset\":{\"id\":\"d\",\"version\":1},"
                + "\"adapter\":\"" + adapter + "\",\"hyperparameters\":{\"batchSize\":" + batch + ",\"maxSeqLength\":"
                + seq + "}}", TrainingRequest.class).withDefaults();
    }

    @Test
    void weightsOfAnEightBillionModelInBf16AreItsParameterCountTimesTwo() {
        assertEquals(8_030_261_248L, LLAMA3_8B.parameterCount());
        MemoryEstimate lora = MemoryEstimate.of(LLAMA3_8B, request("lora", 1, 512), true);
        assertEquals(LLAMA3_8B.parameterCount() * 2, lora.weights());
        // LoRA r 16 on all seven projections of 32 layers: 41.9M parameters × 16 bytes
        assertEquals(41_943_040L * 16, lora.trainedState());
    }

    @Test
    void fullFineTuningNeedsFarMoreThanLoraAndQloraLessThanLora() {
        MemoryEstimate full = MemoryEstimate.of(LLAMA3_8B, request("none", 1, 512), true);
        MemoryEstimate lora = MemoryEstimate.of(LLAMA3_8B, request("lora", 1, 512), true);
        MemoryEstimate qlora = MemoryEstimate.of(LLAMA3_8B, request("qlora", 1, 512), true);

        assertTrue(full.total() > 140L << 30, full.describe()); // ~22 bytes per parameter: beyond one 80 GB GPU
        assertTrue(lora.total() > 16L << 30 && lora.total() < 24L << 30, lora.describe());
        assertTrue(qlora.weights() < lora.weights() / 2, qlora.describe());
        assertEquals(lora.activations(), qlora.activations());
    }

    @Test
    void activationsGrowWithBatchAndQuadraticallyWithSequence() {
        MemoryEstimate small = MemoryEstimate.of(LLAMA3_8B, request("lora", 1, 1024), true);
        MemoryEstimate batch4 = MemoryEstimate.of(LLAMA3_8B, request("lora", 4, 1024), true);
        MemoryEstimate long4k = MemoryEstimate.of(LLAMA3_8B, request("lora", 1, 4096), true);

        assertEquals(4 * small.activations(), batch4.activations());
        assertTrue(long4k.activations() > 4 * small.activations(), long4k.describe());
    }
}
