package io.tuneforge.tuning.preference;

import io.tuneforge.contracts.training.TrainingMethod;

import java.util.Locale;

/** The preference objectives this package trains. */
public enum PreferenceMethod {
    /** Direct Preference Optimization: needs a reference policy ({@link DpoLoss}). */
    DPO,
    /** Odds Ratio Preference Optimization: SFT + odds-ratio term, no reference ({@link OrpoLoss}). */
    ORPO;

    /** The request's spelling: {@code dpo}, {@code orpo}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the loss compares against a reference policy. */
    public boolean needsReference() {
        return this == DPO;
    }

    /**
     * The preference method of a training request's method.
     *
     * @throws IllegalArgumentException for {@code sft}
     */
    public static PreferenceMethod of(TrainingMethod method) {
        if (method == TrainingMethod.DPO) {
            return DPO;
        }
        if (method == TrainingMethod.ORPO) {
            return ORPO;
        }
        throw new IllegalArgumentException("method '" + (method == null ? null : method.wireName()) + "' is not a"
                + " preference method; use dpo or orpo (sft trains with SftTrainer)");
    }
}
