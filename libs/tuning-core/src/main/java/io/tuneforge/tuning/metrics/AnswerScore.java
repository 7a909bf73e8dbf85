package io.tuneforge.tuning.metrics;

/**
 * How likely a model finds one answer after its prompt.
 *
 * @param logProb Σ log p(token | prefix) over the answer's tokens (nats, ≤ 0), or NaN when not scored
 * @param tokens the answer's scored tokens (its end-of-turn marker included), 0 when not scored
 * @param problem why the answer was not scored (e.g. the prompt fills the whole context), else null
 */
public record AnswerScore(double logProb, int tokens, String problem) {

    public static AnswerScore unscored(String problem) {
        return new AnswerScore(Double.NaN, 0, problem);
    }

    public boolean scored() {
        return problem == null;
    }

    /** Mean NLL per answer token, or null when not scored. */
    public Double meanNll() {
        return scored() && tokens > 0 ? -logProb / tokens : null;
    }
}
