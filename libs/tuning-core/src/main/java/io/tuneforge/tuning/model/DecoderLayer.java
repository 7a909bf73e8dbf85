package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm decoder block: {@code h = x + attn(norm₁(x)); out = h + mlp(norm₂(h))}.
 */
public final class DecoderLayer {

    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /**
     * @param x (B, T, D)
     * @param cos (B, 1, T, hd)
     * @param sin (B, 1, T, hd)
     * @param maskBias (B, 1, T, S) f32 additive mask ({@link AttentionMask#bias})
     * @return (B, T, D)
     */
    public NDArray forward(NDArray x, RotaryEmbedding rope, NDArray cos, NDArray sin, NDArray maskBias,
                           KvCache cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), rope, cos, sin, maskBias, cache, index)); // (B, T, D)
        return h.add(mlp.forward(postAttentionNorm.forward(h)));                                          // (B, T, D)
    }

    /** Position in the stack. */
    public int index() {
        return index;
    }

    public Attention attention() {
        return attention;
    }

    public Mlp mlp() {
        return mlp;
    }

    public RmsNorm inputNorm() {
        return inputNorm;
    }

    public RmsNorm postAttentionNorm() {
        return postAttentionNorm;
    }

    /** Any of the seven projections. */
    public LinearLayer projection(Projection p) {
        return p.isAttention() ? attention.projection(p) : mlp.projection(p);
    }

    /** Replaces any of the seven projections. */
    public void setProjection(Projection p, LinearLayer layer) {
        if (p.isAttention()) {
            attention.setProjection(p, layer);
        } else {
            mlp.setProjection(p, layer);
        }
    }
}
