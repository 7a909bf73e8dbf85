package io.tuneforge.tuning.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * Masked next-token cross-entropy of a causal language model — the SFT loss of transformers'
 * {@code ForCausalLMLoss}, LLaMA-Factory and TRL.
 *
 * <pre>
 * logits (B, T, V), labels (B, T) aligned with the inputs
 * shift:   z = logits[:, :-1, :],  y = labels[:, 1:]                       (B, T-1, V), (B, T-1)
 * log p    = log_softmax(z, -1)  in f32                                     (B, T-1, V)
 * nll[b,t] = −log p[b, t, y[b,t]]   where y[b,t] ≠ −100, else 0            (B, T-1)
 * sum      = Σ nll,   count = #{y ≠ −100},   mean = sum / count
 * seqLogProb[b] = Σ_t −nll[b,t]   (log-likelihood of each row's labelled tokens, for DPO/ORPO)
 * </pre>
 *
 * <p>Every constant on the gradient path is a tensor made by an op or owned by the logits'
 * manager (DJL trap: Number arguments become temporaries freed before backward). The results
 * belong to the logits' manager: run backward before closing it.
 */
public final class CausalLmLoss {

    private CausalLmLoss() {
    }

    /**
     * Summed negative log-likelihood of the labelled tokens and their count.
     *
     * @param logits (B, T, V) floating point
     * @param labels (B, T) integer, token id or -100
     */
    public static LossSum sum(NDArray logits, NDArray labels) {
        Terms terms = terms(logits, labels);
        NDArray sum = terms.nll.sum();                                         // ()
        long count = terms.valid.sum().toType(DataType.INT64, false).getLong();
        return new LossSum(sum, count);
    }

    /**
     * Mean negative log-likelihood over the labelled tokens: {@code sum / count}.
     *
     * @throws IllegalArgumentException when no label counts (the mean would be 0/0)
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        LossSum s = sum(logits, labels);
        if (s.count() == 0) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " have no target token after the causal"
                    + " shift (all -100); the mean loss is undefined — drop the batch or check the label masking");
        }
        NDArray count = onDevice(logits.getManager().create((float) s.count()), logits); // () a tensor, not a Number (trap 1)
        return s.sum().div(count);
    }

    /**
     * Summed log-probability of each row's labelled tokens, (B,) f32 — log π(response | prompt)
     * for DPO/ORPO.
     */
    public static NDArray sequenceLogProbs(NDArray logits, NDArray labels) {
        return terms(logits, labels).nll.sum(new int[] {1}).neg();           // (B,)
    }

    /** {@code constant} on {@code like}'s device, owned by {@code constant}'s manager. */
    private static NDArray onDevice(NDArray constant, NDArray like) {
        if (constant.getDevice().equals(like.getDevice())) {
            return constant;
        }
        NDArray moved = constant.toDevice(like.getDevice(), false);
        moved.attach(constant.getManager());
        return moved;
    }

    /** Per-position terms after the shift. */
    private static Terms terms(NDArray logits, NDArray labels) {
        Shape ls = logits.getShape();
        Shape ys = labels.getShape();
        if (ls.dimension() != 3 || ys.dimension() != 2 || ls.get(0) != ys.get(0) || ls.get(1) != ys.get(1)) {
            throw new IllegalArgumentException("logits must be (B, T, V) and labels (B, T) with the same B and T; got "
                    + ls + " and " + ys);
        }
        if (ls.get(1) < 2) {
            throw new IllegalArgumentException("sequences of " + ls.get(1) + " token(s) have nothing to predict;"
                    + " the causal loss needs T >= 2");
        }
        NDManager manager = logits.getManager();
        NDArray z = logits.get(new NDIndex(":, :-1, :"));                    // (B, T-1, V)
        if (z.getDataType() != DataType.FLOAT32) {
            z = z.toType(DataType.FLOAT32, false);
        }
        NDArray y = labels.get(new NDIndex(":, 1:"));                        // (B, T-1)
        if (y.getDataType() != DataType.INT64) {
            y = y.toType(DataType.INT64, false);
        }
        if (!y.getDevice().equals(z.getDevice())) {
            y = y.toDevice(z.getDevice(), false);
        }
        y.attach(manager);
        // Constants are made on the logits' device (the caller's manager may be a CPU one holding GPU logits).
        NDArray ignore = onDevice(manager.create(IGNORE_INDEX), z);         // () int64
        NDArray valid = y.neq(ignore);                                       // (B, T-1) boolean
        NDArray safe = NDArrays.where(valid, y, y.zerosLike());              // (B, T-1)
        NDArray logProbs = z.logSoftmax(-1);                                 // (B, T-1, V)
        NDArray picked = logProbs.gather(safe.expandDims(-1), -1).squeeze(-1); // (B, T-1)
        // where, not a multiply by the mask: an ignored position with a -inf log-prob would give -inf · 0 = NaN.
        NDArray nll = NDArrays.where(valid, picked.neg(), picked.zerosLike()); // (B, T-1)
        return new Terms(nll, valid);
    }

    private record Terms(NDArray nll, NDArray valid) {
    }
}
