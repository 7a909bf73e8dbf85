package io.tuneforge.tuning.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.LlamaModel;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers of the LoRA tests: token batches, random adapter values, distances. */
public final class LoraTesting {

    private LoraTesting() {
    }

    /** (B, T) token ids below 259 (bytes and special tokens of the tiny model), deterministic. */
    static NDArray tokens(NDManager manager, int batch, int length, int seed) {
        long[] ids = new long[batch * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 31L + seed * 17L + 3) % 259;
        }
        return manager.create(ids, new Shape(batch, length));
    }

    /** Gives every lora_B values ~ N(0, std) (a trained adapter), keeping lora_A. */
    public static void randomizeB(LoraAdapter adapter, long seed, double std) {
        Random random = new Random(seed);
        try (NDManager scratch = NDManager.newBaseManager()) {
            adapter.layers().values().forEach(layer -> {
                Shape shape = layer.loraB().getShape();
                float[] b = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * std);
                }
                layer.assign(layer.loraA(), scratch.create(b, shape));
            });
        }
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        assertEquals(a.getShape(), b.getShape());
        return maxAbsDiff(a.toFloatArray(), b.toFloatArray());
    }

    static double maxAbsDiff(float[] x, float[] y) {
        assertEquals(x.length, y.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
        }
        return worst;
    }

    /** The model's logits for {@code ids} as a Java array. */
    static float[] logits(LlamaModel model, NDArray ids) {
        try (NDArray out = model.forward(ids, null, null)) {
            return out.toFloatArray();
        }
    }
}
