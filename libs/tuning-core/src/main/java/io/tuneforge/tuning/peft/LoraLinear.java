package io.tuneforge.tuning.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LinearLayer;

import java.util.Objects;

/**
 * A frozen base projection with a trainable low-rank update (PEFT's {@code lora.Linear}):
 *
 * <pre>
 * y = base(x) + (dropout(x) · Aᵀ · Bᵀ) · scaling        x (…, in), A (r, in), B (out, r), y (…, out)
 * </pre>
 *
 * <p>{@code A} starts Kaiming-uniform (bound {@code 1/sqrt(in)}) and {@code B} at zero, so before any
 * training step the layer returns exactly {@code base(x)}. Dropout is inverted dropout on the
 * adapter's input only, active only in training mode, with masks drawn from a seed derived from
 * (adapter seed, module name, step, call within the step) — reproducible, also after a resume.
 *
 * <p>States: {@link #disabled()} returns {@code base(x)} alone (one network serves as DPO policy
 * and as its own reference); {@link #merged()} means {@code W} already holds {@code scaling·B·A},
 * so the adapter path is skipped. A merged layer cannot be disabled (unmerge first).
 *
 * <p>Memory: {@code A}, {@code B} and the constants live in the adapter's manager; every
 * activation comes first in its op, so results belong to the caller's (step) manager. Constants on
 * the autograd path are tensors (shared/notes/djl-verified.md, trap 1).
 */
public final class LoraLinear implements LinearLayer {

    /** Torch's generator is global: seeding and drawing a mask happen under this lock. */
    private static final Object RNG_LOCK = new Object();

    private final String moduleName;
    private final LinearLayer base;
    private final NDArray loraA;     // (r, in), trainable
    private final NDArray loraB;     // (out, r), trainable
    private final NDArray scaling;   // () compute type
    private final double scalingValue;
    private final double dropout;
    private final NDArray keepScale; // () compute type: 1 / (1 - dropout)
    private final long seed;

    private boolean disabled;
    private boolean training;
    private boolean merged;
    private long step;
    private int callsThisStep;

    LoraLinear(String moduleName, LinearLayer base, NDArray loraA, NDArray loraB, double scalingValue,
               NDArray scaling, double dropout, NDArray keepScale, long seed) {
        this.moduleName = Objects.requireNonNull(moduleName, "moduleName");
        this.base = Objects.requireNonNull(base, "base");
        if (base instanceof LoraLinear) {
            throw new IllegalArgumentException(moduleName + " already has a LoRA adapter; one adapter per model");
        }
        Shape a = loraA.getShape();
        Shape b = loraB.getShape();
        if (a.dimension() != 2 || a.get(1) != base.inFeatures()) {
            throw new IllegalArgumentException(moduleName + ": lora_A must be (r, " + base.inFeatures() + "); got " + a);
        }
        if (b.dimension() != 2 || b.get(0) != base.outFeatures() || b.get(1) != a.get(0)) {
            throw new IllegalArgumentException(moduleName + ": lora_B must be (" + base.outFeatures() + ", " + a.get(0)
                    + ") to match lora_A " + a + "; got " + b);
        }
        this.loraA = loraA;
        this.loraB = loraB;
        this.scalingValue = scalingValue;
        this.scaling = scaling;
        this.dropout = dropout;
        this.keepScale = keepScale;
        this.seed = seed;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = base.forward(x);                                                   // (…, out)
        if (disabled || merged) {
            return y;
        }
        NDArray in = training && dropout > 0 ? dropout(x) : x;                         // (…, in)
        // scaling on the (…, r) intermediate, not on the (…, out) result: r/out of the work, forward and backward
        NDArray down = in.getNDArrayInternal().linear(in, loraA, null).singletonOrThrow().mul(scaling); // (…, r)
        NDArray up = down.getNDArrayInternal().linear(down, loraB, null).singletonOrThrow(); // (…, out)
        NDArray sum = y.add(up);                                                       // (…, out)
        // backward needs neither addend (autograd keeps its own references where it does): free both now, not
        // when the step's manager closes — two (…, out) buffers less per projection and layer at the peak
        y.close();
        up.close();
        return sum;
    }

    /** Inverted dropout: keep each element with probability 1 − p and scale it by 1 / (1 − p). */
    private NDArray dropout(NDArray x) {
        NDArray uniform;
        synchronized (RNG_LOCK) {
            Engine.getInstance().setRandomSeed(maskSeed());
            uniform = x.getManager().randomUniform(0f, 1f, x.getShape(), DataType.FLOAT32, x.getDevice());
        }
        NDArray keep = uniform.gte(dropout).toType(x.getDataType(), false);           // (…, in) 0/1
        return x.mul(keep.mul(keepScale));                                             // (…, in)
    }

    private int maskSeed() {
        long h = seed;
        h = mix(h ^ LoraInit.fnv64(moduleName));
        h = mix(h ^ step);
        h = mix(h ^ callsThisStep++);
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long z) { // SplitMix64 finaliser
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * PEFT's {@code get_delta_weight}: {@code scaling · B · A}, (out, in), detached from autograd.
     *
     * @param manager owner of the result
     */
    public NDArray deltaWeight(NDManager manager) {
        NDArray b = loraB.stopGradient();
        b.attach(manager);
        NDArray a = loraA.stopGradient();
        a.attach(manager);
        NDArray s = scaling.stopGradient();
        s.attach(manager);
        return b.matMul(a).mul(s);                                                     // (out, in)
    }

    /**
     * Adds {@code scaling · B · A} into the base weight, after which forward skips the adapter path.
     *
     * @throws IllegalStateException when already merged, disabled, or the update holds NaN/Inf
     *     (the weight is then left untouched)
     * @throws UnsupportedOperationException when the base is not a dense {@link Linear}
     */
    public void merge() {
        if (merged) {
            throw new IllegalStateException(moduleName + " is already merged; unmerge() before merging again");
        }
        if (disabled) {
            throw new IllegalStateException(moduleName + " is disabled; enable the adapter before merging it");
        }
        Linear linear = denseBase("merge");
        try (NDManager scope = loraA.getManager().newSubManager()) {
            NDArray delta = checkedDelta(scope, "merge");
            linear.weight().addi(delta.toType(linear.weight().getDataType(), false));
        }
        merged = true;
    }

    /**
     * Subtracts {@code scaling · B · A} from the base weight again (PEFT's unmerge; equal to the
     * original weight up to float rounding).
     *
     * @throws IllegalStateException when not merged or the update holds NaN/Inf
     */
    public void unmerge() {
        if (!merged) {
            throw new IllegalStateException(moduleName + " is not merged; nothing to unmerge");
        }
        Linear linear = denseBase("unmerge");
        try (NDManager scope = loraA.getManager().newSubManager()) {
            NDArray delta = checkedDelta(scope, "unmerge");
            linear.weight().subi(delta.toType(linear.weight().getDataType(), false));
        }
        merged = false;
    }

    private NDArray checkedDelta(NDManager scope, String operation) {
        NDArray delta = deltaWeight(scope);
        if (delta.isNaN().any().getBoolean() || delta.isInfinite().any().getBoolean()) {
            throw new IllegalStateException("refusing to " + operation + " " + moduleName
                    + ": scaling·B·A contains NaN or Inf (lora_A or lora_B diverged); the base weight is unchanged");
        }
        return delta;
    }

    private Linear denseBase(String operation) {
        if (!(base instanceof Linear)) {
            throw new UnsupportedOperationException("cannot " + operation + " LoRA into " + moduleName + ": its base is a "
                    + base.getClass().getSimpleName() + ", only a dense Linear weight can hold the update");
        }
        return (Linear) base;
    }

    /**
     * Copies values into {@code A} and {@code B} in place (the arrays, and so any optimizer state
     * keyed by them, stay the same objects).
     *
     * @param a (r, in), any float type and device
     * @param b (out, r)
     */
    public void assign(NDArray a, NDArray b) {
        if (merged) {
            throw new IllegalStateException(moduleName + " is merged; unmerge() before changing lora_A/lora_B");
        }
        if (!a.getShape().equals(loraA.getShape())) {
            throw new IllegalArgumentException(moduleName + ": lora_A must be " + loraA.getShape() + "; got " + a.getShape());
        }
        if (!b.getShape().equals(loraB.getShape())) {
            throw new IllegalArgumentException(moduleName + ": lora_B must be " + loraB.getShape() + "; got " + b.getShape());
        }
        copyInto(loraA, a);
        copyInto(loraB, b);
    }

    private static void copyInto(NDArray target, NDArray source) {
        boolean trainable = target.hasGradient();
        try (NDManager scope = target.getManager().newSubManager()) {
            NDArray value = source.toDevice(target.getDevice(), true);
            value.attach(scope);
            value = value.toType(target.getDataType(), false);
            if (trainable) {
                target.setRequiresGradient(false); // an in-place write into a leaf that requires grad is refused
            }
            target.set(new NDIndex(":"), value);
        } finally {
            if (trainable) {
                target.setRequiresGradient(true);
            }
        }
    }

    /** Module path, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String moduleName() {
        return moduleName;
    }

    /** The frozen projection this layer wraps. */
    public LinearLayer base() {
        return base;
    }

    /** (r, in), trainable. */
    public NDArray loraA() {
        return loraA;
    }

    /** (out, r), trainable. */
    public NDArray loraB() {
        return loraB;
    }

    public int rank() {
        return Math.toIntExact(loraA.getShape().get(0));
    }

    /** {@code alpha / r} or {@code alpha / sqrt(r)}. */
    public double scaling() {
        return scalingValue;
    }

    /** Switches the adapter path off (true) or on. */
    public void setDisabled(boolean disabled) {
        if (disabled && merged) {
            throw new IllegalStateException(moduleName + " is merged into its base weight and cannot be disabled;"
                    + " unmerge() first");
        }
        this.disabled = disabled;
    }

    public boolean disabled() {
        return disabled;
    }

    /** Training mode applies dropout; evaluation mode (the default) does not. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean training() {
        return training;
    }

    /** Whether the base weight holds the update. */
    public boolean merged() {
        return merged;
    }

    /** Starts the dropout masks of optimizer step {@code step} (call counter back to 0). */
    void beginStep(long step) {
        this.step = step;
        this.callsThisStep = 0;
    }

    @Override
    public int inFeatures() {
        return base.inFeatures();
    }

    @Override
    public int outFeatures() {
        return base.outFeatures();
    }

    @Override
    public String toString() {
        return "LoraLinear[" + moduleName + ", r=" + rank() + ", in=" + inFeatures() + ", out=" + outFeatures()
                + ", scaling=" + scalingValue + (disabled ? ", disabled" : "") + (merged ? ", merged" : "") + "]";
    }
}
