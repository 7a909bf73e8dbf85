package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.tuneforge.tuning.weights.WeightNames;

import java.util.Collection;
import java.util.Map;

/**
 * Several projections of one input (q/k/v, gate/up) executed as one matrix product: one native
 * {@code linear} over the concatenated rows instead of one per projection, fewer and larger GEMMs
 * forward and backward.
 *
 * <pre>
 * W = [W₀; W₁; …]   (Σout, in), one contiguous array built when the model is assembled
 * Wᵢ = W[cᵢ:cᵢ₊₁]   each projection's weight is a view of it (same for the biases)
 * y  = x · Wᵀ + b   (…, Σout) = [x·W₀ᵀ + b₀ | x·W₁ᵀ + b₁ | …]
 * </pre>
 *
 * <p>The per-projection {@link Linear}s stay the model's API ({@link LlamaModel#parameters()} holds the
 * views under their Hugging Face names): because they share storage with {@code W}, in-place writes through
 * them — LoRA merge/unmerge, checkpoint loading, optimizer updates — are what the fused product reads.
 *
 * <p>The fused path runs only while every current projection is its frozen member {@link Linear}: inference and
 * generation on the dense model. Otherwise {@link #forward} returns null and the caller runs the projections one
 * by one, as before fusion:
 * <ul>
 *   <li>LoRA wrappers: with active updates (training) the fused base product plus per-projection updates
 *       concatenated and added once (or added in place to slices) cut 51 of 744 native calls per tiny-model
 *       training step but measured 0–4 % slower per step on the suite config (paired in-JVM A/B, fused/separate
 *       0.99–1.04; TrainBenchmark slower in 6 of 7 interleaved rounds), so it was not kept; and a disabled
 *       adapter (DPO's reference pass) must run the same products as the policy pass, or the exact tie of an
 *       untrained adapter (B = 0, rewards 0) becomes a float-rounding difference;</li>
 *   <li>trainable members (full fine-tuning): the views are the autograd leaves, which the fused {@code W}
 *       does not see. Concatenating them every forward (autograd splitting the gradient back) was no faster
 *       (fused/separate forward+backward 0.94, 1.00, 1.07 in three paired runs), so it was not kept;</li>
 *   <li>NF4 bases (QLoRA): each has its own codes and double-quantized absmax (one mean offset per tensor,
 *       so a fused NF4 tensor would not dequantize to the three separate ones);</li>
 *   <li>a replaced layer of another kind.</li>
 * </ul>
 */
final class FusedProjection {

    private final Linear[] members;
    private final NDArray weight; // (Σout, in)
    private final NDArray bias;   // (Σout) or null
    private boolean enabled = true;
    private boolean released;

    private FusedProjection(Linear[] members, NDArray weight, NDArray bias) {
        this.members = members;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Concatenates the weights (and biases) of {@code projections} of layer {@code layer} into one array owned
     * by their manager, closes the separate arrays and puts views of the fused ones into {@code weights} under
     * the same names.
     *
     * @throws IllegalArgumentException when some of the projections have a bias and some do not
     */
    static FusedProjection fuse(Map<String, NDArray> weights, int layer, Projection... projections) {
        NDList ws = new NDList();
        NDList bs = new NDList();
        long[] cuts = new long[projections.length - 1];
        long rows = 0;
        for (int i = 0; i < projections.length; i++) {
            ws.add(weights.get(WeightNames.weight(layer, projections[i])));
            NDArray b = weights.get(WeightNames.bias(layer, projections[i]));
            if (b != null) {
                bs.add(b);
            }
            rows += ws.get(i).getShape().get(0);
            if (i < cuts.length) {
                cuts[i] = rows;
            }
        }
        if (!bs.isEmpty() && bs.size() != projections.length) {
            throw new IllegalArgumentException("layer " + layer + ": cannot fuse projections of which only "
                    + bs.size() + " of " + projections.length + " have a bias; all or none must");
        }
        NDArray weight = NDArrays.concat(ws, 0);                                       // (Σout, in)
        NDArray bias = bs.isEmpty() ? null : NDArrays.concat(bs, 0);                   // (Σout)
        ws.close();
        bs.close();
        Linear[] members = new Linear[projections.length];
        long start = 0;
        for (int i = 0; i < projections.length; i++) {
            long end = i < cuts.length ? cuts[i] : rows;
            NDIndex slice = new NDIndex("{}:{}", start, end);
            NDArray w = weight.get(slice);                                              // (outᵢ, in) view
            NDArray b = bias == null ? null : bias.get(slice);                          // (outᵢ) view
            weights.put(WeightNames.weight(layer, projections[i]), w);
            if (b != null) {
                weights.put(WeightNames.bias(layer, projections[i]), b);
            }
            members[i] = new Linear(w, b);
            start = end;
        }
        return new FusedProjection(members, weight, bias);
    }

    /** The dense projection {@code i} (in the order given to {@link #fuse}). */
    Linear member(int i) {
        return members[i];
    }

    /** Switches fused execution on (the default) or off (each projection runs on its own). */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Whether {@link #releaseIfUnused} freed the fused weight. */
    boolean released() {
        return released;
    }

    /**
     * Runs {@code current} (the layer's projections now, in member order) as one product.
     *
     * @param x (…, in)
     * @return (…, Σout) = the concatenation of every {@code current[i].forward(x)}, owned by {@code x}'s manager;
     *     or null when these layers cannot run fused (the caller runs them one by one)
     */
    NDArray forward(NDArray x, LinearLayer... current) {
        if (!enabled || released) {
            return null;
        }
        for (int i = 0; i < members.length; i++) {
            if (current[i] != members[i]) {
                return null;
            }
        }
        if (trainable()) {
            return null;
        }
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();       // (…, Σout)
    }

    private boolean trainable() {
        for (Linear m : members) {
            if (m.weight().hasGradient() || m.bias() != null && m.bias().hasGradient()) {
                return true;
            }
        }
        return false;
    }

    /** The last axis, as a positive index ({@code split}/{@code concat} refuse −1). */
    static int lastAxis(NDArray a) {
        return a.getShape().dimension() - 1;
    }

    /**
     * Frees the fused weight once none of its member views is still a model parameter ({@code live}): after
     * QLoRA released the dense weights, so their storage goes too. The bias stays (NF4 layers keep reading
     * their bias views).
     */
    void releaseIfUnused(Collection<NDArray> live) {
        if (released) {
            return;
        }
        for (Linear m : members) {
            if (live.stream().anyMatch(a -> a == m.weight())) {
                return;
            }
        }
        weight.close();
        released = true;
    }
}
