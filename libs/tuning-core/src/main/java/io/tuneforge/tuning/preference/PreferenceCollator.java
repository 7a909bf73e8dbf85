package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.TokenizedExample;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the micro-batch of B preference pairs that one forward pass reads, as TRL's
 * {@code concatenated_inputs}: 2B rows, the B chosen sequences first and the B rejected ones after,
 * in the same pair order, right-padded to the longest of all 2B rows. Padding and masking are
 * {@link BatchCollator}'s (attention mask 0 and label −100 on padding; prompt tokens are −100 already).
 *
 * <p>So for logits (2B, T, V) and labels (2B, T): rows {@code [0, B)} are chosen, {@code [B, 2B)} rejected,
 * and row b and row B + b are the two answers to the same prompt.
 */
public final class PreferenceCollator {

    private final BatchCollator rows;

    /**
     * @param padId token id written on padding (masked; usually PAD or EOS)
     * @param maxSeqLength longest row
     */
    public PreferenceCollator(int padId, int maxSeqLength) {
        this.rows = new BatchCollator(padId, false, maxSeqLength);
    }

    /**
     * The 2B-row batch of {@code pairs}.
     *
     * @param manager owner of the batch's arrays (usually the step's sub-manager)
     */
    public Batch collate(List<PreferenceExample> pairs, NDManager manager) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of preference pairs");
        }
        List<TokenizedExample> sequences = new ArrayList<>(2 * pairs.size());
        pairs.forEach(p -> sequences.add(p.chosenSequence()));
        pairs.forEach(p -> sequences.add(p.rejectedSequence()));
        return rows.collate(sequences, manager);
    }
}
