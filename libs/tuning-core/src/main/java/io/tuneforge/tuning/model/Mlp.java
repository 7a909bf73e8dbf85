package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;


/**
 * SwiGLU feed-forward (Shazeer 2020): {@code down(silu(gate(x)) ⊙ up(x))}, silu(g) = g·σ(g).
 */
public final class Mlp {

    private LinearLayer gate; // D → I
    private LinearLayer up;   // D → I
    private LinearLayer down; // I → D

    Mlp(LinearLayer gate, LinearLayer up, LinearLayer down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /**
     * @param x (B, T, D)
     * @return (B, T, D)
     */
    public NDArray forward(NDArray x) {
        NDArray g = gate.forward(x);                             // (B, T, I)
        NDArray activated = g.mul(g.getNDArrayInternal().sigmoid()); // (B, T, I) silu
        return down.forward(activated.mul(up.forward(x)));       // (B, T, D)
    }

    /** The projection {@code p} (one of gate/up/down). */
    public LinearLayer projection(Projection p) {
        switch (p) {
            case GATE_PROJ:
                return gate;
            case UP_PROJ:
                return up;
            case DOWN_PROJ:
                return down;
            default:
                throw new IllegalArgumentException(p + " is not an MLP projection; use gate/up/down_proj");
        }
    }

    /** Replaces one projection (same in/out features), e.g. with a LoRA wrapper. */
    public void setProjection(Projection p, LinearLayer layer) {
        LinearLayer old = projection(p);
        Projection.checkReplacement(p, old, layer);
        switch (p) {
            case GATE_PROJ:
                gate = layer;
                break;
            case UP_PROJ:
                up = layer;
                break;
            default:
                down = layer;
                break;
        }
    }
}
