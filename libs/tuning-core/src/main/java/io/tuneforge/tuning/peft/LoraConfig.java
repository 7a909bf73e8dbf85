package io.tuneforge.tuning.peft;

import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.model.Projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * LoRA hyperparameters (Hu et al., 2021, "LoRA: Low-Rank Adaptation of Large Language Models",
 * arXiv:2106.09685), named as PEFT's {@code LoraConfig}.
 *
 * <p>A target projection {@code W (out, in)} gains a trainable low-rank update:
 * {@code y = x·Wᵀ + dropout(x)·Aᵀ·Bᵀ · scaling} with {@code A (r, in)}, {@code B (out, r)} and
 * {@code scaling = alpha / r}, or {@code alpha / sqrt(r)} with rank-stabilised LoRA (rsLoRA,
 * Kalajdzievski, 2023, arXiv:2312.03732).
 *
 * @param r             rank of the update, ≥ 1
 * @param alpha         scaling numerator, finite and &gt; 0
 * @param dropout       probability of zeroing an element of the adapter's input while training, in [0, 1)
 * @param targetModules projection names to adapt (any of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj,
 *                      down_proj), at least one, no repeats
 * @param useRslora     scale by {@code alpha / sqrt(r)} instead of {@code alpha / r}
 * @throws IllegalArgumentException naming the bad field and its allowed values
 */
public record LoraConfig(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

    /** q_proj … down_proj: the module names {@link Projection} knows. */
    private static final List<String> PROJECTION_NAMES =
            Arrays.stream(Projection.values()).map(Projection::moduleName).toList();

    public LoraConfig {
        List<String> problems = new ArrayList<>();
        if (r < 1) {
            problems.add("r = " + r + " must be >= 1 (typical: 8, 16, 64)");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            problems.add("alpha = " + alpha + " must be a finite number > 0 (typical: 2·r)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            problems.add("dropout = " + dropout + " must be in [0, 1) (typical: 0.05)");
        }
        if (targetModules == null || targetModules.isEmpty()) {
            problems.add("targetModules is empty; name at least one of " + PROJECTION_NAMES);
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (String name : targetModules) {
                if (name == null || !PROJECTION_NAMES.contains(name)) {
                    problems.add("targetModules contains '" + name + "', which is not a projection of a Llama-family"
                            + " decoder; use any of " + PROJECTION_NAMES);
                } else if (!seen.add(name)) {
                    problems.add("targetModules names '" + name + "' twice");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid LoRA config: " + String.join("; ", problems));
        }
        targetModules = List.copyOf(targetModules);
    }

    /** PEFT's defaults for a causal LM as TuneForge uses them: r 16, alpha 32, dropout 0.05, all seven projections. */
    public static LoraConfig defaults() {
        return from(LoraSettings.defaults());
    }

    /**
     * The config of a training request's {@code lora} section, absent fields taken from
     * {@link LoraSettings#defaults()}; null means all defaults.
     */
    public static LoraConfig from(LoraSettings settings) {
        LoraSettings s = settings == null ? LoraSettings.defaults() : settings.withDefaults();
        return new LoraConfig(s.r(), s.alpha(), s.dropout(), s.targetModules(), s.useRslora());
    }

    /** This config as the contract's record. */
    public LoraSettings toSettings() {
        return new LoraSettings(r, alpha, dropout, targetModules, useRslora);
    }

    /** {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA. */
    public double scaling() {
        return useRslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    /** The targeted projections, in {@link Projection} order. */
    public List<Projection> projections() {
        List<Projection> out = new ArrayList<>();
        for (Projection p : Projection.values()) {
            if (targetModules.contains(p.moduleName())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Whether {@code p} is adapted. */
    public boolean targets(Projection p) {
        return targetModules.contains(Objects.requireNonNull(p, "projection").moduleName());
    }
}
