package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LinearLayer;

import java.util.Objects;

/**
 * A frozen projection whose weight is stored as NF4 ({@link Nf4Tensor}) and dequantized on the fly
 * for every call, as bitsandbytes' {@code Linear4bit}:
 * <pre>
 * y = x · dequant(W)ᵀ + b          x (…, in), dequant(W) (out, in) in x's type, b (out) dense, y (…, out)
 * </pre>
 * The dequantized weight exists only during the call (in a scope under {@code x}'s manager); autograd
 * keeps what backward needs. Nothing here requires a gradient: the codes are integers and the
 * scales constants, so gradients flow to {@code x} only — a {@code LoraLinear} wrapped around this
 * layer trains its {@code lora_A}/{@code lora_B} on top (QLoRA).
 */
public final class Nf4Linear implements LinearLayer {

    private final Nf4Tensor weight; // (out, in)
    private final NDArray bias;     // (out) or null; not quantized (bitsandbytes keeps the bias dense)

    /**
     * @param weight (out, in) quantized weight
     * @param bias (out) or null
     */
    public Nf4Linear(Nf4Tensor weight, NDArray bias) {
        this.weight = Objects.requireNonNull(weight, "weight");
        Shape w = weight.shape();
        if (w.dimension() != 2) {
            throw new IllegalArgumentException("an NF4 linear weight must be (out, in); got " + w);
        }
        if (bias != null && !bias.getShape().equals(new Shape(w.get(0)))) {
            throw new IllegalArgumentException("linear bias must be (" + w.get(0) + ") for weight " + w + "; got "
                    + bias.getShape());
        }
        this.bias = bias;
    }

    /**
     * Quantizes a dense projection's weight; the codes live in {@code manager}, the bias stays the
     * dense layer's own array.
     */
    public static Nf4Linear quantize(Linear dense, QuantizationConfig config, CodeTables tables, NDManager manager) {
        return new Nf4Linear(Nf4Tensor.quantize(dense.weight(), config, tables, manager), dense.bias());
    }

    @Override
    public NDArray forward(NDArray x) {
        NDManager caller = x.getManager();
        try (NDManager scope = caller.newSubManager()) {
            NDArray w = weight.dequantize(scope, x.getDataType());                                // (out, in)
            NDArray y = x.getNDArrayInternal().linear(x, w, bias).singletonOrThrow();              // (…, out)
            y.attach(caller);
            return y;
        }
    }

    /** The quantized weight. */
    public Nf4Tensor weight() {
        return weight;
    }

    /** (out), or null. */
    public NDArray bias() {
        return bias;
    }

    @Override
    public int inFeatures() {
        return Math.toIntExact(weight.shape().get(1));
    }

    @Override
    public int outFeatures() {
        return Math.toIntExact(weight.shape().get(0));
    }

    @Override
    public String toString() {
        return "Nf4Linear[in=" + inFeatures() + ", out=" + outFeatures() + ", block=" + weight.blockSize()
                + (weight.doubleQuantized() != null ? ", double-quant" : "") + ", "
                + String.format(java.util.Locale.ROOT, "%.4f", weight.bytesPerParameter()) + " B/param]";
    }
}
