package io.tuneforge.tuning.model;

import java.util.List;
import java.util.Objects;

/**
 * The {@code rope_scaling} block of a Hugging Face config: how rotary frequencies are stretched to
 * reach contexts longer than the model was pre-trained on.
 *
 * <ul>
 *   <li>{@code linear} (position interpolation, Chen et al. 2023): every inverse frequency is divided
 *       by {@code factor}.</li>
 *   <li>{@code llama3} (Llama 3.1+): wavelengths longer than
 *       {@code originalMaxPositionEmbeddings / lowFreqFactor} are divided by {@code factor}, those
 *       shorter than {@code originalMaxPositionEmbeddings / highFreqFactor} are kept, and the band
 *       between is interpolated smoothly (see {@link RotaryEmbedding#inverseFrequencies}).</li>
 * </ul>
 *
 * @param type {@link #LINEAR} or {@link #LLAMA3}
 * @param factor stretch factor (> 0)
 * @param lowFreqFactor llama3 only (else 0)
 * @param highFreqFactor llama3 only (else 0), greater than lowFreqFactor
 * @param originalMaxPositionEmbeddings llama3 only (else 0): the pre-training context length
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {

    public static final String LINEAR = "linear";
    public static final String LLAMA3 = "llama3";
    /** The rope types this decoder implements ({@code default} means no scaling, i.e. null). */
    public static final List<String> SUPPORTED = List.of("default", LINEAR, LLAMA3);

    public RopeScaling {
        Objects.requireNonNull(type, "type");
        if (!type.equals(LINEAR) && !type.equals(LLAMA3)) {
            throw new IllegalArgumentException("rope_scaling.rope_type '" + type + "' is not supported; supported: "
                    + SUPPORTED);
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling.factor = " + factor + " must be > 0");
        }
        if (type.equals(LLAMA3)) {
            if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)) {
                throw new IllegalArgumentException("rope_scaling low_freq_factor = " + lowFreqFactor
                        + ", high_freq_factor = " + highFreqFactor
                        + " must satisfy 0 < low_freq_factor < high_freq_factor");
            }
            if (originalMaxPositionEmbeddings <= 0) {
                throw new IllegalArgumentException("rope_scaling.original_max_position_embeddings = "
                        + originalMaxPositionEmbeddings + " must be > 0 for llama3 scaling");
            }
        }
    }

    /** Linear (position interpolation) scaling. */
    public static RopeScaling linear(double factor) {
        return new RopeScaling(LINEAR, factor, 0, 0, 0);
    }

    /** Llama 3.1-style scaling, e.g. {@code llama3(32, 1, 4, 8192)} for Llama 3.2. */
    public static RopeScaling llama3(double factor, double lowFreqFactor, double highFreqFactor,
                                     int originalMaxPositionEmbeddings) {
        return new RopeScaling(LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings);
    }
}
