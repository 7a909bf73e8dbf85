package io.tuneforge.tuning.train;

import java.util.List;
import java.util.Locale;

/**
 * The learning rate of each optimizer step, as Hugging Face's {@code get_*_schedule_with_warmup}
 * lambdas compute it (transformers {@code optimization.py}). For step index s = 0, 1, … (the number
 * of optimizer steps already taken), warmup W and total N:
 *
 * <pre>
 * 1) warmup, s &lt; W:     lr = peak · s / max(1, W)                    (the first step runs at 0 when W &gt; 0)
 * 2) after warmup:
 *    cosine     lr = peak · max(0, ½ · (1 + cos(π · p)))     p = (s − W) / max(1, N − W)
 *    linear     lr = peak · max(0, (N − s) / max(1, N − W))
 *    constant   lr = peak                                     (transformers' constant_with_warmup)
 * </pre>
 *
 * Warmup as a ratio becomes ⌈N · ratio⌉ steps (transformers' {@code get_warmup_steps}); a step
 * count wins over a ratio. The schedule is a pure function of the step, so its checkpointed state
 * is just these numbers and the step reached.
 *
 * @param kind cosine, linear or constant
 * @param peakLr the learning rate after warmup
 * @param warmupSteps W
 * @param totalSteps N, optimizer steps of the whole run
 */
public record LrSchedule(String kind, double peakLr, int warmupSteps, int totalSteps) {

    public static final List<String> KINDS = List.of("cosine", "linear", "constant");

    public LrSchedule {
        kind = kind == null ? null : kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("scheduler '" + kind + "' is not known; use one of " + KINDS);
        }
        if (!(peakLr > 0) || !Double.isFinite(peakLr)) {
            throw new IllegalArgumentException("learningRate = " + peakLr + " must be a positive finite number");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps = " + totalSteps + " must be >= 1");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps = " + warmupSteps + " must be >= 0");
        }
    }

    /**
     * A schedule whose warmup is given either as steps (wins when not null) or as a ratio of the total.
     *
     * @param warmupSteps explicit warmup steps, or null
     * @param warmupRatio share of {@code totalSteps} in [0, 1), used when {@code warmupSteps} is null
     */
    public static LrSchedule of(String kind, double peakLr, Integer warmupSteps, double warmupRatio, int totalSteps) {
        if (warmupSteps == null && !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("warmupRatio = " + warmupRatio + " must be in [0, 1)");
        }
        int warmup = warmupSteps != null ? warmupSteps : (int) Math.ceil(totalSteps * warmupRatio);
        return new LrSchedule(kind, peakLr, warmup, totalSteps);
    }

    /** The factor of {@link #peakLr} at step index {@code step} (0-based: steps already taken). */
    public double multiplier(long step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);                                  // 1)
        }
        switch (kind) {
            case "cosine": {
                double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
                return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));             // 2) cosine
            }
            case "linear":
                return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
            default:
                return 1.0;
        }
    }

    /** The learning rate of the optimizer step that follows {@code step} steps already taken. */
    public double lr(long step) {
        return peakLr * multiplier(step);
    }
}
