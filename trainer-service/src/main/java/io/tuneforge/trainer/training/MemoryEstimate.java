package io.tuneforge.trainer.training;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.model.ModelConfig;

import java.util.List;
import java.util.Locale;

/**
 * A rough upper estimate of the memory a run needs, to refuse before queuing what cannot fit (what LLaMA-Factory's
 * and Axolotl's users check by hand). Parts, in bytes:
 * <ol>
 *   <li>weights: every parameter in the compute type (4 bytes on CPU, 2 on GPU); linear weights at 0.55 bytes
 *       with QLoRA (NF4 + double-quantized absmax, measured 0.52);</li>
 *   <li>trained state: 16 bytes per trained parameter (f32 master, gradient, AdamW's two moments) — LoRA matrices
 *       only, or every weight in full fine-tuning; DPO in full fine-tuning keeps a frozen reference copy;</li>
 *   <li>activations of one micro-batch kept for backward: per row, token and layer about 16·D + 3·I floats plus
 *       the attention probabilities (nH · T² per row and layer), and the logits with their softmax and gradient
 *       (3 · T · V); DPO/ORPO rows are doubled (chosen and rejected);</li>
 *   <li>a fixed 512 MiB for the runtime (PyTorch, tokenizer, data).</li>
 * </ol>
 * Rough on purpose: it guards against the request that cannot fit by a wide margin, not against the last 10 %.
 */
public record MemoryEstimate(long weights, long trainedState, long activations, long runtime) {

    static final long RUNTIME_BYTES = 512L << 20;

    public long total() {
        return weights + trainedState + activations + runtime;
    }

    /** {@code 1.2 GiB (weights 0.4 GiB, trained state 0.1 GiB, activations 0.2 GiB, runtime 0.5 GiB)}. */
    public String describe() {
        return gib(total()) + " (weights " + gib(weights) + ", optimizer and gradients " + gib(trainedState)
                + ", activations " + gib(activations) + ", runtime " + gib(runtime) + ")";
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /**
     * @param gpu whether the run computes in bf16 on a GPU (else f32 on CPU)
     */
    public static MemoryEstimate of(ModelConfig model, TrainingRequest request, boolean gpu) {
        Hyperparameters hp = request.hyperparameters();
        int bytesPerValue = gpu ? 2 : 4;
        long params = model.parameterCount();
        long d = model.hiddenSize();
        long i = model.intermediateSize();
        long q = (long) model.numAttentionHeads() * model.headDim();
        long kv = (long) model.numKeyValueHeads() * model.headDim();
        long layers = model.numHiddenLayers();
        long linear = layers * (d * q + 2 * d * kv + q * d + 3 * d * i);

        long weights = request.adapter() == AdapterType.QLORA
                ? (long) ((params - linear) * (double) bytesPerValue + linear * 0.55)
                : params * bytesPerValue;
        long trained;
        if (request.adapter() == AdapterType.NONE) {
            trained = params * 16L + (gpu ? params * 4L : 0);
            if (request.method() == TrainingMethod.DPO) {
                weights *= 2; // frozen reference copy
            }
        } else {
            trained = loraParameters(request.lora(), d, i, q, kv) * layers * 16L;
        }
        long rows = (long) hp.batchSize() * (request.method() == TrainingMethod.SFT ? 1 : 2);
        long t = hp.maxSeqLength();
        long perLayer = rows * t * (16 * d + 3 * i) + rows * model.numAttentionHeads() * t * t;
        long logits = 3 * rows * t * model.vocabSize();
        long activations = (perLayer * layers) * bytesPerValue + logits * 4L;
        return new MemoryEstimate(weights, trained, activations, RUNTIME_BYTES);
    }

    private static long loraParameters(LoraSettings lora, long d, long i, long q, long kv) {
        List<String> targets = lora == null || lora.targetModules() == null ? LoraSettings.ALL_TARGETS
                : lora.targetModules();
        long r = lora == null ? 16 : lora.r();
        long sum = 0;
        for (String target : targets) {
            sum += r * switch (target) {
                case "q_proj" -> d + q;
                case "k_proj", "v_proj" -> d + kv;
                case "o_proj" -> q + d;
                case "gate_proj", "up_proj", "down_proj" -> d + i;
                default -> 2 * d; // validated requests name only the seven projections
            };
        }
        return sum;
    }
}
