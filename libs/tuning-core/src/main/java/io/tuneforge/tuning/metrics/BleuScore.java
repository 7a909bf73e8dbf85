package io.tuneforge.tuning.metrics;

/**
 * A BLEU result as sacreBLEU prints it: {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ...)}.
 *
 * @param score BLEU in [0, 100]
 * @param precisions the (smoothed) n-gram precisions in percent, n = 1..4
 * @param brevityPenalty exp(1 − ref/hyp) when the prediction is shorter, else 1
 * @param hypLength prediction tokens
 * @param refLength reference tokens (closest reference length per segment)
 */
public record BleuScore(double score, double[] precisions, double brevityPenalty, long hypLength, long refLength) {

    public BleuScore {
        precisions = precisions.clone();
    }

    @Override
    public double[] precisions() {
        return precisions.clone();
    }
}
