package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;

/**
 * A projection made of a frozen base and an update computed from the same input (LoRA):
 * {@code forward(x) = base().forward(x) + update(x)}. Splitting the two lets a decoder layer run the
 * bases of several projections as one fused product ({@link FusedProjection}) and add each
 * projection's own update to its slice of the output.
 */
public interface AdditiveAdapter extends LinearLayer {

    /** The frozen projection this layer adds to. */
    LinearLayer base();

    /**
     * The update for {@code x}, or null when it adds nothing at present (switched off, or already merged into
     * the base weight).
     *
     * @param x (…, inFeatures); the result belongs to {@code x}'s manager
     * @return (…, outFeatures), or null
     */
    NDArray update(NDArray x);
}
