package io.tuneforge.tuning.preference;

import io.tuneforge.tuning.train.TrainingCallback;

import java.util.Map;

/**
 * A {@link TrainingCallback} that also receives the preference metrics (TRL's names, see
 * {@link PreferenceMetrics}). {@link PreferenceTrainer} calls these right after the matching
 * {@code onStep} / {@code onEvalLoss}; a plain {@link TrainingCallback} (e.g. a progress bar built for
 * SFT) works unchanged and sees the step loss only.
 */
public interface PreferenceCallback extends TrainingCallback {

    /** After each optimizer step: loss, rewards/*, logps/* (and ORPO's log_odds_ratio, log_odds_chosen, nll_loss). */
    default void onPreferenceMetrics(long step, Map<String, Double> metrics) {
    }

    /** After an evaluation of the eval pairs: the same metrics with TRL's {@code eval_} prefix. */
    default void onPreferenceEval(long step, Map<String, Double> metrics) {
    }
}
