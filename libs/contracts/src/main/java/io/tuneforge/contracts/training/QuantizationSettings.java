package io.tuneforge.contracts.training;

import java.util.List;

/**
 * Base-weight quantization for QLoRA (Dettmers et al., 2023).
 *
 * @param type        {@code nf4} (4-bit NormalFloat, blocks of 64)
 * @param doubleQuant quantize the per-block absmax constants again (8-bit, blocks of 256)
 */
public record QuantizationSettings(String type, Boolean doubleQuant) {

    /** Quantization types the trainer implements. */
    public static final List<String> TYPES = List.of("nf4");

    public static QuantizationSettings defaults() {
        return new QuantizationSettings("nf4", true);
    }

    public QuantizationSettings withDefaults() {
        return new QuantizationSettings(type != null ? type : "nf4", doubleQuant != null ? doubleQuant : true);
    }
}
