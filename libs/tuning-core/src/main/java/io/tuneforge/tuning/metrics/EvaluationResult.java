package io.tuneforge.tuning.metrics;

import io.tuneforge.contracts.evaluation.MetricComparison;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a base-vs-tuned evaluation.
 *
 * @param metrics metric name → base, tuned, tuned − base (tuned and delta null without a tuned model), in the
 *     order asked for; perplexity comes with {@code meanNll}
 * @param samples samples evaluated
 * @param skipped records of the eval split that could not be evaluated (their reasons: {@code skippedReasons},
 *     the first 20)
 * @param generatedTokens base, tuned tokens generated
 * @param seconds wall time, and per side generation/scoring time ({@code base}, {@code tuned})
 */
public record EvaluationResult(Map<String, MetricComparison> metrics, int samples, int skipped,
                               List<String> skippedReasons, Map<String, Long> generatedTokens,
                               Map<String, Double> seconds) {
}
