package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;


/**
 * SwiGLU feed-forward (Shazeer 2020): {@code down(silu(gate(x)) ⊙ up(x))}, silu(g) = g·σ(g).
 * gate and up run as one product while they are dense (or LoRA around dense), see {@link FusedProjection}.
 */
public final class Mlp {

    private LinearLayer gate; // D → I
    private LinearLayer up;   // D → I
    private LinearLayer down; // I → D
    private final FusedProjection gateUp; // D → 2·I over gate/up's shared weight

    Mlp(FusedProjection gateUp, LinearLayer down) {
        this.gateUp = gateUp;
        this.gate = gateUp.member(0);
        this.up = gateUp.member(1);
        this.down = down;
    }

    /**
     * @param x (B, T, D)
     * @return (B, T, D)
     */
    public NDArray forward(NDArray x) {
        NDArray fused = gateUp.forward(x, gate, up);                 // (B, T, 2I) or null
        if (fused == null) {
            NDArray g = gate.forward(x);                             // (B, T, I)
            return down.forward(silu(g).mul(up.forward(x)));         // (B, T, D)
        }
        NDList halves = fused.split(new long[] {gate.outFeatures()}, FusedProjection.lastAxis(fused));
        return down.forward(silu(halves.get(0)).mul(halves.get(1))); // (B, T, D)
    }

    private static NDArray silu(NDArray g) {
        return g.mul(g.getNDArrayInternal().sigmoid());             // (B, T, I)
    }

    /** gate/up's fused execution. */
    FusedProjection fusedGateUp() {
        return gateUp;
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
