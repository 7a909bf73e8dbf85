package io.tuneforge.contracts.training;

import java.util.List;

/**
 * LoRA hyperparameters (Hu et al., 2021), named as PEFT's LoraConfig.
 *
 * @param r             rank of the update
 * @param alpha         scaling numerator: the update is scaled by alpha / r (alpha / sqrt(r) with rsLoRA)
 * @param dropout       dropout on the adapter's input
 * @param targetModules projection names to adapt: any of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
 * @param useRslora     rank-stabilised scaling (Kalajdzievski, 2023)
 */
public record LoraSettings(Integer r, Double alpha, Double dropout, List<String> targetModules, Boolean useRslora) {

    public static final List<String> ALL_TARGETS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public static LoraSettings defaults() {
        return new LoraSettings(16, 32.0, 0.05, ALL_TARGETS, false);
    }

    /** This record with every absent field taken from {@link #defaults()}. */
    public LoraSettings withDefaults() {
        LoraSettings d = defaults();
        return new LoraSettings(r != null ? r : d.r, alpha != null ? alpha : d.alpha, dropout != null ? dropout : d.dropout,
                targetModules != null ? targetModules : d.targetModules, useRslora != null ? useRslora : d.useRslora);
    }
}
