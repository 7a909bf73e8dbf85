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

    /** Loads the base model in {@code dir} again, as the reference. */
    public static FrozenModelReference load(Path dir, DeviceSettings device) {
        return new FrozenModelReference(LlamaModel.load(dir, device), dir);
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
