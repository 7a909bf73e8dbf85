package io.tuneforge.tuning.metrics;

import java.util.List;

/**
 * Running totals of the text metrics over an evaluation set, so outputs can be scored and dropped
 * one by one: ROUGE means are sums of per-sample F1, BLEU is corpus BLEU from summed
 * {@link BleuStats}, exact match a count.
 */
public final class TextMetrics {

    private final BleuStats bleu = new BleuStats();
    private double rouge1;
    private double rouge2;
    private double rougeL;
    private long exact;
    private long samples;

    /** Scores one output, adds it to the totals and returns its own scores. */
    public TextScores add(String prediction, String reference) {
        TextScores s = TextScores.of(prediction, reference);
        rouge1 += s.rouge1();
        rouge2 += s.rouge2();
        rougeL += s.rougeL();
        exact += s.exactMatch();
        bleu.add(Bleu.stats(prediction, List.of(reference)));
        samples++;
        return s;
    }

    public long samples() {
        return samples;
    }

    /**
     * The corpus value of a text metric ({@link MetricName#needsGeneration()}), or null before any sample.
     *
     * @throws IllegalArgumentException for perplexity or reward accuracy
     */
    public Double value(MetricName metric) {
        if (samples == 0) {
            return null;
        }
        return switch (metric) {
            case ROUGE_1 -> rouge1 / samples;
            case ROUGE_2 -> rouge2 / samples;
            case ROUGE_L -> rougeL / samples;
            case BLEU -> Bleu.corpus(bleu).score();
            case EXACT_MATCH -> (double) exact / samples;
            default -> throw new IllegalArgumentException(metric.wireName() + " is not a text metric");
        };
    }

    /** The summed BLEU statistics (for a report's detail). */
    public BleuStats bleuStats() {
        return bleu;
    }
}
