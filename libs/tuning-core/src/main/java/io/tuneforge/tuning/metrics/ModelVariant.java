package io.tuneforge.tuning.metrics;

import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;

import java.util.Objects;

/**
 * One side of a comparison: a model, and what makes it the active variant before it generates or
 * scores. Base and tuned can share ONE loaded base model with a LoRA adapter that is switched off
 * for the base side and on for the tuned side, so no second copy of the weights is needed.
 */
public final class ModelVariant {

    private final String label;
    private final LlamaModel model;
    private final Runnable activate;

    private ModelVariant(String label, LlamaModel model, Runnable activate) {
        this.label = label;
        this.model = Objects.requireNonNull(model, "model");
        this.activate = activate;
    }

    /** A model as loaded (a full fine-tuned model, or a base model without adapter). */
    public static ModelVariant of(String label, LlamaModel model) {
        return new ModelVariant(label, model, () -> { });
    }

    /** The base model under {@code adapter}: the adapter switched off. */
    public static ModelVariant adapterDisabled(String label, LoraAdapter adapter) {
        return new ModelVariant(label, adapter.model(), () -> adapter.setDisabled(true));
    }

    /** The tuned model: the adapter switched on. */
    public static ModelVariant adapterEnabled(String label, LoraAdapter adapter) {
        return new ModelVariant(label, adapter.model(), () -> adapter.setDisabled(false));
    }

    public String label() {
        return label;
    }

    /** Makes this variant the active one and returns its model. */
    public LlamaModel activate() {
        activate.run();
        return model;
    }
}
