package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in Hugging Face's {@code rotate_half}
 * layout: a head vector's first half pairs with its second half, not neighbouring elements.
 *
 * <pre>
 * inv_freq[i] = theta^(-2i / hd)                (i &lt; hd/2; then rope scaling, see below)
 * angle[p, i] = p · inv_freq[i mod hd/2]        (p = position, i &lt; hd)
 * rope(x)     = x · cos(angle) + rotate_half(x) · sin(angle),  rotate_half([a, b]) = [-b, a]
 * </pre>
 *
 * <p>The cos/sin tables (maxPositionEmbeddings, hd) are built once per model, in f64 then cast to
 * the compute dtype; each forward only gathers the rows of its position ids. The sine table is stored
 * with rotate_half's sign folded in, {@code [−sin(angle[:hd/2]), sin(angle[hd/2:])]}, so applying the
 * rotation is a swap of the halves and two products, without a negation (one native call and one
 * (B, h, T, hd/2) temporary fewer per application, forward and backward; the values are the same, as
 * {@code −b·s = b·(−s)} exactly).
 */
public final class RotaryEmbedding {

    private final NDArray cos; // (P, hd)
    private final NDArray sin; // (P, hd): [−sin | +sin], rotate_half's sign folded in
    private final int headDim;

    /** Builds the tables on {@code manager} (which then owns them). */
    public RotaryEmbedding(NDManager manager, ModelConfig config, DataType computeType) {
        this.headDim = config.headDim();
        int positions = config.maxPositionEmbeddings();
        double[] inv = inverseFrequencies(headDim, config.ropeTheta(), config.ropeScaling());
        try (NDManager tmp = manager.newSubManager()) {
            NDArray p = tmp.arange(0, positions, 1, DataType.FLOAT64).reshape(positions, 1); // (P, 1)
            NDArray freqs = p.mul(tmp.create(inv).reshape(1, headDim / 2));                  // (P, hd/2)
            NDArray angles = freqs.concat(freqs, 1);                                           // (P, hd)
            NDArray sines = freqs.sin();                                                       // (P, hd/2)
            this.cos = angles.cos().toType(computeType, false);
            this.sin = sines.neg().concat(sines, 1).toType(computeType, false);               // (P, hd)
            cos.attach(manager);
            sin.attach(manager);
        }
    }

    /**
     * Inverse frequencies, with rope scaling applied.
     *
     * <p>llama3 scaling (Llama 3.1 report; {@code transformers}' {@code _compute_llama3_parameters}):
     * with wavelength λ = 2π / inv_freq, L = original context, lo/hi = low/high freq factors:
     * 1) λ &lt; L / hi: kept; 2) λ &gt; L / lo: divided by factor; 3) between: interpolated,
     * s = (L / λ − lo) / (hi − lo), inv = (1 − s) · inv / factor + s · inv.
     * Linear scaling divides every inverse frequency by factor.
     */
    public static double[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        if (scaling == null) {
            return inv;
        }
        if (scaling.type().equals(RopeScaling.LINEAR)) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= scaling.factor();
            }
            return inv;
        }
        double original = scaling.originalMaxPositionEmbeddings();
        double lowFreqWavelength = original / scaling.lowFreqFactor();
        double highFreqWavelength = original / scaling.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelength = 2 * Math.PI / inv[i];
            if (wavelength < highFreqWavelength) {
                continue;
            }
            if (wavelength > lowFreqWavelength) {
                inv[i] /= scaling.factor();
            } else {
                double s = (original / wavelength - scaling.lowFreqFactor())
                        / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                inv[i] = (1 - s) * inv[i] / scaling.factor() + s * inv[i];
            }
        }
        return inv;
    }

    /**
     * Gathers cos and sin for position ids.
     *
     * @param positionIds (B, T) int64, each in [0, maxPositionEmbeddings)
     * @return [cos, signed sin], each (B, 1, T, hd), owned by {@code positionIds}' manager; pass both to
     *     {@link #apply}
     */
    public NDList angles(NDArray positionIds) {
        NDArray ids = positionIds.expandDims(1);                                       // (B, 1, T): one view for both
        NDArray c = ids.getNDArrayInternal().embedding(ids, cos, SparseFormat.DENSE).singletonOrThrow();
        NDArray s = ids.getNDArrayInternal().embedding(ids, sin, SparseFormat.DENSE).singletonOrThrow();
        return new NDList(c, s);                                                       // (B, 1, T, hd)
    }

    /**
     * Rotates queries or keys.
     *
     * @param x (B, h, T, hd)
     * @param cos (B, 1, T, hd)
     * @param sin (B, 1, T, hd), the signed table from {@link #angles}
     * @return (B, h, T, hd)
     */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(new long[] {headDim / 2}, 3);                         // 2 × (B, h, T, hd/2)
        NDArray swapped = halves.get(1).concat(halves.get(0), 3);                     // (B, h, T, hd) [b, a]
        return x.mul(cos).add(swapped.mul(sin));                                      // sin carries [−, +]
    }

    /** Rows of the tables (= maxPositionEmbeddings). */
    public long maxPositions() {
        return cos.getShape().get(0);
    }
}
