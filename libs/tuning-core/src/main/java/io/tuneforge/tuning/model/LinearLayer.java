package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;

/**
 * A linear projection {@code y = x·Wᵀ + b} as the decoder sees it. {@link Linear} is the plain
 * one; adapters (LoRA) and quantized layers implement this interface and wrap or replace a
 * {@link Linear} through {@link LlamaModel#replaceLinears}.
 */
public interface LinearLayer {

    /**
     * Applies the projection.
     *
     * @param x (…, inFeatures), compute dtype; the result belongs to {@code x}'s manager
     * @return (…, outFeatures)
     */
    NDArray forward(NDArray x);

    /** Input width. */
    int inFeatures();

    /** Output width. */
    int outFeatures();
}
