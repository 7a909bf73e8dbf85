package io.tuneforge.tuning.metrics;

/**
 * The text metrics of one output against its reference: ROUGE F1 and sentence BLEU in [0, 100],
 * exact match 0 or 1.
 */
public record TextScores(double rouge1, double rouge2, double rougeL, double bleu, int exactMatch) {

    /** Scores {@code prediction} against {@code reference}. */
    public static TextScores of(String prediction, String reference) {
        RougeScores rouge = Rouge.score(prediction, reference);
        return new TextScores(100 * rouge.rouge1().f1(), 100 * rouge.rouge2().f1(), 100 * rouge.rougeL().f1(),
                Bleu.sentence(prediction, java.util.List.of(reference)).score(),
                ExactMatch.matches(prediction, reference) ? 1 : 0);
    }
}
