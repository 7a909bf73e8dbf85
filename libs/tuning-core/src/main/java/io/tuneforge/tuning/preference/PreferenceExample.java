package io.tuneforge.tuning.preference;

import io.tuneforge.tuning.data.TokenizedExample;

import java.util.Arrays;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * One encoded preference pair: the prompt's tokens (the chat template up to and including the
 * generation prompt) and the two completions (the answer and the end-of-turn token), as TRL's
 * {@code DPOTrainer.tokenize_row} keeps them.
 *
 * <p>The sequences the model reads are {@code prompt ++ chosen} and {@code prompt ++ rejected}; only
 * completion tokens are labels ({@link #chosenSequence()}, {@link #rejectedSequence()}).
 *
 * @param prompt prompt token ids, possibly cut from the left (see {@link PreferenceEncoder})
 * @param chosen completion ids of the preferred answer, at least one
 * @param rejected completion ids of the dispreferred answer, at least one
 * @param truncated whether the prompt or a completion was cut to fit the length limits
 */
public record PreferenceExample(long[] prompt, long[] chosen, long[] rejected, boolean truncated) {

    public PreferenceExample {
        if (prompt == null || chosen == null || rejected == null) {
            throw new IllegalArgumentException("prompt, chosen and rejected ids must not be null");
        }
        if (chosen.length == 0 || rejected.length == 0) {
            throw new IllegalArgumentException("chosen (" + chosen.length + " tokens) and rejected (" + rejected.length
                    + " tokens) completions must each hold at least one token");
        }
    }

    /** {@code prompt ++ chosen} with the prompt masked ({@link TokenizedExample#IGNORE_INDEX}). */
    public TokenizedExample chosenSequence() {
        return sequence(chosen);
    }

    /** {@code prompt ++ rejected} with the prompt masked. */
    public TokenizedExample rejectedSequence() {
        return sequence(rejected);
    }

    private TokenizedExample sequence(long[] completion) {
        long[] ids = new long[prompt.length + completion.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        long[] labels = ids.clone();
        Arrays.fill(labels, 0, prompt.length, IGNORE_INDEX);
        return new TokenizedExample(ids, labels, truncated);
    }

    /**
     * Tokens the causal loss counts for the chosen sequence: every completion token, except the
     * first when there is no prompt token to predict it from (a row's first token is never a target).
     */
    public int chosenTargets() {
        return targets(chosen);
    }

    /** As {@link #chosenTargets()}, for the rejected sequence. */
    public int rejectedTargets() {
        return targets(rejected);
    }

    private int targets(long[] completion) {
        return prompt.length == 0 ? completion.length - 1 : completion.length;
    }

    /** The longer of the two sequences, in tokens. */
    public int length() {
        return prompt.length + Math.max(chosen.length, rejected.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferenceExample other && truncated == other.truncated
                && Arrays.equals(prompt, other.prompt) && Arrays.equals(chosen, other.chosen)
                && Arrays.equals(rejected, other.rejected);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(prompt) + Arrays.hashCode(chosen)) + Arrays.hashCode(rejected))
                + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "PreferenceExample[prompt=" + prompt.length + ", chosen=" + chosen.length + ", rejected="
                + rejected.length + ", truncated=" + truncated + "]";
    }
}
