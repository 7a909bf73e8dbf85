package io.tuneforge.tuning.preference;

/**
 * Preference-tuning settings that the training request does not carry (yet): the request gives the
 * method, β (DPO) / λ (ORPO) as {@code hyperparameters.beta}, lengths and the optimisation; these are
 * TRL's {@code DPOConfig} knobs beyond those.
 *
 * @param labelSmoothing DPO's ε in [0, 0.5): conservative DPO, the assumed rate of flipped labels (TRL's
 *     {@code label_smoothing}, default 0); must be 0 for ORPO
 * @param precomputeReference compute DPO's reference log-probs once over the dataset before training and store
 *     them with the run ({@value PrecomputedReference#FILE_NAME}), so the reference model is not kept in memory
 *     and a step runs one forward pass (TRL's {@code precompute_ref_log_probs}, default false)
 * @param maxPromptLength longest prompt once a pair needs truncation, or null for {@code maxSeqLength / 2}
 *     (TRL's {@code max_prompt_length})
 */
public record PreferenceOptions(double labelSmoothing, boolean precomputeReference, Integer maxPromptLength) {

    public PreferenceOptions {
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("labelSmoothing = " + labelSmoothing + " must be in [0, 0.5)");
        }
        if (maxPromptLength != null && maxPromptLength < 1) {
            throw new IllegalArgumentException("maxPromptLength = " + maxPromptLength + " must be >= 1");
        }
    }

    /** TRL's defaults: no label smoothing, the reference evaluated each step, prompts up to half the length. */
    public static PreferenceOptions defaults() {
        return new PreferenceOptions(0.0, false, null);
    }

    public PreferenceOptions withLabelSmoothing(double value) {
        return new PreferenceOptions(value, precomputeReference, maxPromptLength);
    }

    public PreferenceOptions withPrecomputedReference(boolean value) {
        return new PreferenceOptions(labelSmoothing, value, maxPromptLength);
    }

    public PreferenceOptions withMaxPromptLength(Integer value) {
        return new PreferenceOptions(labelSmoothing, precomputeReference, value);
    }

    /** The prompt limit for sequences of {@code maxSeqLength} tokens. */
    public int maxPromptLength(int maxSeqLength) {
        int limit = maxPromptLength != null ? maxPromptLength : maxSeqLength / 2;
        if (limit >= maxSeqLength) {
            throw new IllegalArgumentException("maxPromptLength = " + limit + " must be below maxSeqLength = "
                    + maxSeqLength + " so that an answer token fits after a truncated prompt");
        }
        return Math.max(1, limit);
    }
}
