package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.tuneforge.tuning.loss.CausalLmLoss;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * The policy's log-likelihood of each answer in a preference batch (2B rows: chosen, then rejected):
 *
 * <pre>
 * logp[i]  = Σ_t log p(labels[i, t+1] | tokens ≤ t)   over labelled tokens (response only)   (2B,)
 *            — {@link CausalLmLoss#sequenceLogProbs}
 * count[i] = #{t : labels[i, t+1] ≠ −100}                                                    (2B,)
 * chosen = logp[0:B], rejected = logp[B:2B]
 * </pre>
 *
 * DPO uses the sums; ORPO the means {@code logp / count} (length-normalised, as its paper and TRL).
 *
 * @param chosen (B,) f32 summed log-probs of the chosen answers, in the autograd graph of the logits
 * @param rejected (B,) f32 of the rejected answers
 * @param chosenCounts (B,) f32 response tokens counted per chosen answer
 * @param rejectedCounts (B,) f32 per rejected answer
 */
public record ResponseLogProbs(NDArray chosen, NDArray rejected, NDArray chosenCounts, NDArray rejectedCounts) {

    /**
     * @param logits (2B, T, V) of a {@link PreferenceCollator} batch
     * @param labels (2B, T) int64, token id or −100
     */
    public static ResponseLogProbs of(NDArray logits, NDArray labels) {
        long rows = logits.getShape().get(0);
        if (rows % 2 != 0) {
            throw new IllegalArgumentException("a preference batch has 2B rows (chosen, then rejected); logits "
                    + logits.getShape() + " have an odd number of rows");
        }
        NDArray logp = CausalLmLoss.sequenceLogProbs(logits, labels);                   // (2B,)
        NDArray counts = labels.get(new NDIndex(":, 1:")).neq(IGNORE_INDEX)               // (2B, T-1)
                .sum(new int[] {1}).toType(DataType.FLOAT32, false);                      // (2B,)
        if (!counts.getDevice().equals(logp.getDevice())) {
            counts = counts.toDevice(logp.getDevice(), false);
        }
        long b = rows / 2;
        NDIndex first = new NDIndex("0:{}", b);
        NDIndex second = new NDIndex("{}:", b);
        return new ResponseLogProbs(logp.get(first), logp.get(second), counts.get(first), counts.get(second));
    }

    /** Pairs in the batch, B. */
    public int pairs() {
        return (int) chosen.getShape().get(0);
    }

    /** Mean log-prob per response token of each chosen answer, (B,). */
    public NDArray chosenMean() {
        return chosen.div(chosenCounts);
    }

    /** Mean log-prob per response token of each rejected answer, (B,). */
    public NDArray rejectedMean() {
        return rejected.div(rejectedCounts);
    }
}
