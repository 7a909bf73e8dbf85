package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.peft.LoraAdapter;

/**
 * The base model as DPO's reference, read from the LoRA policy itself: the adapter is switched off
 * for the reference forward pass and on again after it (also when the pass fails), so one network
 * serves as policy and reference (torchtune's {@code disable_adapter} context, TRL's
 * {@code ref_model=None} with PEFT). Not usable while the adapter is merged.
 */
public final class AdapterOffReference implements ReferencePolicy {

    private final LoraAdapter adapter;

    public AdapterOffReference(LoraAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public LogProbs logProbs(Batch batch, int[] pairIndices, NDManager manager) {
        boolean wasDisabled = adapter.disabled();
        adapter.setDisabled(true);
        try {
            return ReferencePolicy.forward(adapter.model(), batch, manager);
        } finally {
            adapter.setDisabled(wasDisabled);
        }
    }

    @Override
    public String description() {
        return "the policy's network with its LoRA adapter disabled (the base model)";
    }
}
