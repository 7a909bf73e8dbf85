package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Objects;

/**
 * Root-mean-square layer norm (Zhang &amp; Sennrich 2019), as Llama uses it:
 * {@code y = x / sqrt(mean(x²) + eps) · w}, the normalisation computed in f32 whatever the compute
 * dtype, then cast back before the weight is applied (as Hugging Face's {@code LlamaRMSNorm}).
 *
 * <p>{@code eps} is a tensor owned by the model's manager, not a Number argument: Number arguments
 * become temporaries freed before backward (djl-verified trap 1).
 */
public final class RmsNorm {

    private final NDArray weight; // (D)
    private final NDArray eps;    // () f32

    /**
     * @param weight (D), compute dtype; its manager also owns the eps constant
     * @param eps the epsilon inside the square root
     */
    public RmsNorm(NDArray weight, double eps) {
        this.weight = Objects.requireNonNull(weight, "weight");
        this.eps = weight.getManager().create((float) eps);
    }

    /**
     * @param x (…, D)
     * @return (…, D) in {@code x}'s dtype, owned by {@code x}'s manager
     */
    public NDArray forward(NDArray x) {
        DataType type = x.getDataType();
        NDArray xf = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // (…, D) f32
        int last = x.getShape().dimension() - 1;
        NDArray meanSquare = xf.square().mean(new int[] {last}, true);                  // (…, 1)
        NDArray normed = xf.div(meanSquare.add(eps).sqrt());                           // (…, D)
        if (type != DataType.FLOAT32) {
            normed = normed.toType(type, false);
        }
        return normed.mul(weight);                                                     // (…, D)
    }

    /** (D) */
    public NDArray weight() {
        return weight;
    }
}
