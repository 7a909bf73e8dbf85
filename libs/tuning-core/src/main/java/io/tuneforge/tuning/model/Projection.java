package io.tuneforge.tuning.model;

import java.util.Objects;

/**
 * The seven linear projections of a decoder layer, by their Hugging Face / PEFT module names
 * ({@code q_proj} … {@code down_proj}) — the names LoRA's {@code target_modules} use.
 */
public enum Projection {
    Q_PROJ("self_attn", "q_proj"),
    K_PROJ("self_attn", "k_proj"),
    V_PROJ("self_attn", "v_proj"),
    O_PROJ("self_attn", "o_proj"),
    GATE_PROJ("mlp", "gate_proj"),
    UP_PROJ("mlp", "up_proj"),
    DOWN_PROJ("mlp", "down_proj");

    private final String block;
    private final String moduleName;

    Projection(String block, String moduleName) {
        this.block = block;
        this.moduleName = moduleName;
    }

    /** {@code q_proj}, {@code gate_proj}, … */
    public String moduleName() {
        return moduleName;
    }

    /** Path inside a layer: {@code self_attn.q_proj}, {@code mlp.gate_proj}, … */
    public String path() {
        return block + "." + moduleName;
    }

    /** True for q/k/v/o. */
    public boolean isAttention() {
        return block.equals("self_attn");
    }

    /** Output features for a config. */
    public int outFeatures(ModelConfig c) {
        switch (this) {
            case Q_PROJ:
                return c.numAttentionHeads() * c.headDim();
            case K_PROJ:
            case V_PROJ:
                return c.numKeyValueHeads() * c.headDim();
            case GATE_PROJ:
            case UP_PROJ:
                return c.intermediateSize();
            default:
                return c.hiddenSize();
        }
    }

    /** Input features for a config. */
    public int inFeatures(ModelConfig c) {
        switch (this) {
            case O_PROJ:
                return c.numAttentionHeads() * c.headDim();
            case DOWN_PROJ:
                return c.intermediateSize();
            default:
                return c.hiddenSize();
        }
    }

    /** Whether this projection has a bias under a config. */
    public boolean hasBias(ModelConfig c) {
        switch (this) {
            case Q_PROJ:
            case K_PROJ:
            case V_PROJ:
                return c.attentionBias();
            case O_PROJ:
                return c.attentionOutputBias();
            default:
                return c.mlpBias();
        }
    }

    /**
     * Checks that {@code replacement} can stand in for {@code current} as projection {@code p}: not null, same
     * in/out features.
     *
     * @throws IllegalArgumentException naming the module and both mappings
     */
    static void checkReplacement(Projection p, LinearLayer current, LinearLayer replacement) {
        Objects.requireNonNull(replacement, p.moduleName());
        if (replacement.inFeatures() != current.inFeatures() || replacement.outFeatures() != current.outFeatures()) {
            throw new IllegalArgumentException(p.moduleName() + " replacement maps " + replacement.inFeatures() + " → "
                    + replacement.outFeatures() + " but the layer needs " + current.inFeatures() + " → "
                    + current.outFeatures());
        }
    }

    /** The projection with a PEFT module name ({@code q_proj} …). */
    public static Projection byModuleName(String name) {
        for (Projection p : values()) {
            if (p.moduleName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a projection; use one of q_proj, k_proj, v_proj,"
                + " o_proj, gate_proj, up_proj, down_proj");
    }
}
