package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.train.GradMode;

/**
 * DPO's reference policy π_ref: the log-likelihood of each answer under the model the policy must
 * not drift far from (the base model). Three ways to get it, one interface:
 *
 * <ul>
 *   <li>{@link AdapterOffReference} — LoRA: the policy's own network with its adapters switched off
 *       (torchtune's and TRL's {@code disable_adapter()}); no second copy of the weights.</li>
 *   <li>{@link FrozenModelReference} — full fine-tuning: a frozen copy of the base model.</li>
 *   <li>{@link PrecomputedReference} — either of the above run once over the dataset before training,
 *       stored with the run; the reference model is then not kept in memory and each step runs one
 *       forward pass instead of two.</li>
 * </ul>
 */
public interface ReferencePolicy extends AutoCloseable {

    /**
     * Reference log-probs of one micro-batch, no gradient.
     *
     * @param chosen (B,) f32 summed response log-probs of the chosen answers
     * @param rejected (B,) f32 of the rejected answers
     */
    record LogProbs(NDArray chosen, NDArray rejected) {
    }

    /**
     * @param batch the 2B-row batch of a {@link PreferenceCollator}
     * @param pairIndices the dataset index of each of its B pairs, in row order
     * @param manager owner of the result
     */
    LogProbs logProbs(Batch batch, int[] pairIndices, NDManager manager);

    /** What the reference is, for logs and the stored file. */
    String description();

    @Override
    default void close() {
    }

    /** Runs {@code model} over a preference batch without autograd and sums each answer's log-probs. */
    static LogProbs forward(LlamaModel model, Batch batch, NDManager manager) {
        try (GradMode off = GradMode.disabled()) {
            NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null);     // (2B, T, V)
            ResponseLogProbs lp = ResponseLogProbs.of(logits, batch.labels());
            NDArray chosen = lp.chosen();
            NDArray rejected = lp.rejected();
            chosen.attach(manager);
            rejected.attach(manager);
            return new LogProbs(chosen, rejected);
        }
    }
}
