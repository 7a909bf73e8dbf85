package io.tuneforge.tuning.metrics;

/**
 * A running sum of token negative log-likelihoods (nats) and how many tokens it covers, for
 * corpus perplexity of reference answers: every reference token weighs the same, as in the
 * trainer's eval loss.
 *
 * <pre>
 * mean NLL   = Σ_tokens −log p(token | prefix) / #tokens
 * perplexity = exp(mean NLL)
 * </pre>
 */
public final class NllSum {

    private double sum;
    private long tokens;

    /** Adds {@code nll} nats over {@code count} tokens. */
    public void add(double nll, long count) {
        if (count < 0 || Double.isNaN(nll)) {
            throw new IllegalArgumentException("cannot add an NLL of " + nll + " over " + count
                    + " tokens; expected a number over a count >= 0");
        }
        sum += nll;
        tokens += count;
    }

    public long tokens() {
        return tokens;
    }

    public double sum() {
        return sum;
    }

    /** Mean NLL per token in nats, or null when no token was scored. */
    public Double meanNll() {
        return tokens == 0 ? null : sum / tokens;
    }

    /** exp(mean NLL), or null when no token was scored. */
    public Double perplexity() {
        return tokens == 0 ? null : Math.exp(sum / tokens);
    }
}
