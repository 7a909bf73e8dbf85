package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;

import java.nio.file.Path;

/**
 * A frozen copy of the base model as DPO's reference for full fine-tuning (where the policy's own
 * weights change). It holds a second set of weights; {@link PrecomputedReference} avoids keeping it
 * during training. Its arrays never require gradients.
 */
public final class FrozenModelReference implements ReferencePolicy {

    private final LlamaModel model;
    private final Path source;

    private FrozenModelReference(LlamaModel model, Path source) {
        this.model = model;
        this.source = source;
    }

    /**
     * Loads the base model in {@code dir} again, as the reference. It runs q/k/v and gate/up one by one, as the
     * trainable full fine-tuning policy does, so at step 0 both give the same log-probabilities bit for bit
     * (rewards exactly 0), not the fused product's different float rounding.
     */
    public static FrozenModelReference load(Path dir, DeviceSettings device) {
        LlamaModel model = LlamaModel.load(dir, device);
        model.setFusedProjections(false);
        return new FrozenModelReference(model, dir);
    }

    @Override
    public LogProbs logProbs(Batch batch, int[] pairIndices, NDManager manager) {
        return ReferencePolicy.forward(model, batch, manager);
    }

    @Override
    public String description() {
        return "a frozen copy of " + source;
    }

    @Override
    public void close() {
        model.close();
    }
}
