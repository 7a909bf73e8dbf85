package io.tuneforge.tuning.model;

/**
 * A projection made of a frozen base and an update computed from the same input (LoRA):
 * {@code forward(x) = base().forward(x) + update(x)}. While the update adds nothing (merged into the base
 * weight, or switched off), the layer is its base, and a decoder layer may run the bases of several
 * projections as one fused product ({@link FusedProjection}).
 */
public interface AdditiveAdapter extends LinearLayer {

    /** The frozen projection this layer adds to. */
    LinearLayer base();

    /** Whether the update adds anything at present (false while merged into the base weight or disabled). */
    boolean active();
}
