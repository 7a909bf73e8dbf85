package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
 * <p>The fused path runs only while every current projection is its frozen member {@link Linear}, or an
 * {@link AdditiveAdapter} (LoRA) around it; the adapters' updates are computed per projection (their
 * shapes differ under grouped-query attention), concatenated and added to the fused output. Anything else and {@link #forward} returns null, and the caller runs the projections one by one:
 * <ul>
 *   <li>NF4 bases (QLoRA): each has its own codes and double-quantized absmax;</li>
 *   <li>trainable members (full fine-tuning): the views are the autograd leaves, which the fused {@code W}
 *       does not see. Concatenating them every forward (autograd splitting the gradient back) was no faster
 *       than separate products on the suite config (fused/separate forward+backward 0.94, 1.00, 1.07 in three
 *       paired runs: the copies of W and of its gradient cost what the saved calls gain), so it was not kept;</li>
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
        if (!enabled || released || trainable()) {
            return null;
        }
        boolean adapted = false;
        for (int i = 0; i < members.length; i++) {
            LinearLayer base = current[i] instanceof AdditiveAdapter a ? a.base() : current[i];
            if (base != members[i]) {
                return null;
            }
            adapted |= base != current[i];
        }
        NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();   // (…, Σout)
        if (!adapted) {
            return y;
        }
        // one concatenation and one add, not an add per slice: in place on y's slices (autograd's CopySlices)
        // measured 50 more native calls per training step of the tiny model (clones in backward), no faster
        NDList updates = new NDList(members.length);
        boolean any = false;
        for (int i = 0; i < members.length; i++) {
            NDArray u = current[i] instanceof AdditiveAdapter a ? a.update(x) : null;  // (…, outᵢ) or null
            any |= u != null;
            updates.add(u);
        }
        if (!any) {
            return y;
        }
        Shape lead = y.getShape().slice(0, y.getShape().dimension() - 1);
        for (int i = 0; i < members.length; i++) {
            if (updates.get(i) == null) { // no update on this projection (not targeted): zeros keep one concat
                updates.set(i, x.getManager().zeros(lead.add(members[i].outFeatures()), y.getDataType(),
                        y.getDevice()));
            }
        }
        NDArray concatenated = NDArrays.concat(updates, lastAxis(y));                  // (…, Σout)
        NDArray sum = y.add(concatenated);                                              // (…, Σout)
        // Autograd keeps what backward needs (none of these: add and concat save no inputs, linear no output);
        // closing the handles frees the buffers now instead of when the step's manager closes. Without this the
        // fused path held one (…, Σout) buffer more per group and layer than separate projections (+63 MiB peak
        // RSS on the suite's LoRA config); with it, two fewer.
        y.close();
        concatenated.close();
        updates.close();
        return sum;
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
