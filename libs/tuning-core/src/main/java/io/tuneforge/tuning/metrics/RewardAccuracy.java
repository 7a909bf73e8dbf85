package io.tuneforge.tuning.metrics;

/**
 * Reward accuracy on preference pairs: the share of pairs whose chosen answer the model finds more
 * likely than the rejected one, {@code log π(chosen | prompt) > log π(rejected | prompt)}, with
 * summed token log-probabilities of each answer (DPO's sequence log-probabilities). A tie counts
 * as wrong, as TRL's {@code (chosen_rewards > rejected_rewards)} does.
 */
public final class RewardAccuracy {

    private long pairs;
    private long correct;

    /** Records one pair and returns whether the chosen answer won. */
    public boolean add(double chosenLogProb, double rejectedLogProb) {
        if (Double.isNaN(chosenLogProb) || Double.isNaN(rejectedLogProb)) {
            throw new IllegalArgumentException("log-probabilities must be numbers, got chosen " + chosenLogProb
                    + " and rejected " + rejectedLogProb);
        }
        pairs++;
        boolean won = chosenLogProb > rejectedLogProb;
        if (won) {
            correct++;
        }
        return won;
    }

    public long pairs() {
        return pairs;
    }

    /** Fraction in [0, 1], or null when no pair was seen. */
    public Double value() {
        return pairs == 0 ? null : (double) correct / pairs;
    }
}
