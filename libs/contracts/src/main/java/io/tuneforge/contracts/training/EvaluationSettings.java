package io.tuneforge.contracts.training;

import java.util.List;

/**
 * What eval-service measures after the run.
 *
 * @param metrics    any of rougeL, rouge1, rouge2, bleu, exactMatch, perplexity, rewardAccuracy
 * @param maxSamples eval records to generate for; bounds the evaluation's cost
 * @param enabled    false skips evaluation
 */
public record EvaluationSettings(List<String> metrics, Integer maxSamples, Boolean enabled) {

    public static final List<String> KNOWN_METRICS =
            List.of("rougeL", "rouge1", "rouge2", "bleu", "exactMatch", "perplexity", "rewardAccuracy");

    public static EvaluationSettings defaults() {
        return new EvaluationSettings(List.of("rougeL", "bleu", "perplexity"), 200, true);
    }

    public EvaluationSettings withDefaults() {
        EvaluationSettings d = defaults();
        return new EvaluationSettings(metrics != null ? metrics : d.metrics,
                maxSamples != null ? maxSamples : d.maxSamples, enabled != null ? enabled : d.enabled);
    }
}
