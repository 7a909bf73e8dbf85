package io.tuneforge.tuning.metrics;

import io.tuneforge.tuning.generate.GenerationConfig;

import java.util.List;

/**
 * How an evaluation runs.
 *
 * @param metrics what to compute (perplexity adds meanNll to the report)
 * @param maxSamples the first this many valid records of the eval split are evaluated
 * @param generation how outputs are generated (greedy by default: the same model gives the same outputs)
 * @param batchSize prompts per generation batch and rows per scoring forward
 * @param maxSeqLength longest prompt + reference when scoring
 */
public record EvalOptions(List<MetricName> metrics, int maxSamples, GenerationConfig generation, int batchSize,
                          int maxSeqLength) {

    public static final List<MetricName> DEFAULT_METRICS = List.of(MetricName.ROUGE_L, MetricName.BLEU,
            MetricName.PERPLEXITY);

    public EvalOptions {
        metrics = List.copyOf(metrics == null || metrics.isEmpty() ? DEFAULT_METRICS : metrics);
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples = " + maxSamples + " must be >= 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength = " + maxSeqLength + " must be >= 2");
        }
        if (generation == null) {
            throw new IllegalArgumentException("generation settings are required, e.g. GenerationConfig.greedy(128)");
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens}, batches of 4, references up to 1024 tokens. */
    public static EvalOptions of(List<MetricName> metrics, int maxSamples, int maxNewTokens) {
        return new EvalOptions(metrics, maxSamples, GenerationConfig.greedy(maxNewTokens), 4, 1024);
    }

    public boolean needsGeneration() {
        return metrics.stream().anyMatch(MetricName::needsGeneration);
    }

    public boolean needsScoring() {
        return metrics.contains(MetricName.PERPLEXITY) || metrics.contains(MetricName.REWARD_ACCURACY);
    }

    public EvalOptions withBatchSize(int size) {
        return new EvalOptions(metrics, maxSamples, generation, size, maxSeqLength);
    }

    public EvalOptions withMaxSeqLength(int length) {
        return new EvalOptions(metrics, maxSamples, generation, batchSize, length);
    }
}
