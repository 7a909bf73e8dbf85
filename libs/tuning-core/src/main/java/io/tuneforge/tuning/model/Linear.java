package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Objects;

/**
 * A dense projection holding its weight (out, in) and optional bias (out), both owned by the
 * model's manager. The activation comes first in the op, so the result belongs to the caller's
 * (step) manager, never to the parameters' manager.
 */
public final class Linear implements LinearLayer {

    private final NDArray weight; // (out, in)
    private final NDArray bias;   // (out) or null

    /**
     * @param weight (out, in)
     * @param bias (out) or null
     */
    public Linear(NDArray weight, NDArray bias) {
        this.weight = Objects.requireNonNull(weight, "weight");
        Shape w = weight.getShape();
        if (w.dimension() != 2) {
            throw new IllegalArgumentException("linear weight must be (out, in); got " + w);
        }
        if (bias != null && !bias.getShape().equals(new Shape(w.get(0)))) {
            throw new IllegalArgumentException("linear bias must be (" + w.get(0) + ") for weight " + w
                    + "; got " + bias.getShape());
        }
        this.bias = bias;
    }

    @Override
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow(); // (…, out)
    }

    /** (out, in) */
    public NDArray weight() {
        return weight;
    }

    /** (out), or null */
    public NDArray bias() {
        return bias;
    }

    @Override
    public int inFeatures() {
        return Math.toIntExact(weight.getShape().get(1));
    }

    @Override
    public int outFeatures() {
        return Math.toIntExact(weight.getShape().get(0));
    }
}
