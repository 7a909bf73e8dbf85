package io.tuneforge.tuning.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019) with the semantics
 * of {@code torch.optim.AdamW}, written over NDArrays so that its state can be saved and restored
 * bit for bit. For parameter p with gradient g at its t-th update:
 *
 * <pre>
 * 1) p ← p · (1 − lr·λ)                     decoupled weight decay (only where {@code decays(name)})
 * 2) m ← β₁·m + (1 − β₁)·g                  first moment
 * 3) v ← β₂·v + (1 − β₂)·g²                 second moment
 * 4) p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)   bias-corrected step, ε outside the root
 * </pre>
 *
 * <p>Updates are in place: on the CPU one fused pass over the arrays' own storage ({@link AdamWKernel}),
 * elsewhere tensor ops on {@code stopGradient()} views of the parameters (autograd must not see
 * them; see {@link GradMode}). Moments are f32 and live in this optimizer's manager; every scalar
 * is a tensor (shared/notes/djl-verified.md, trap 1); temporaries live in a sub-manager closed at
 * the end of {@link #step}. State is created on a parameter's first update, as PyTorch does.
 *
 * <p>Checkpoint format ({@link #save}): one safetensors file with {@code <name>.exp_avg} and
 * {@code <name>.exp_avg_sq} (F32) and {@code <name>.step} (I64, shape (1)) per parameter, the
 * hyperparameters in {@code __metadata__}.
 */
public final class AdamW implements AutoCloseable {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Predicate<String> decays;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final NDArray beta1T;        // () β₁
    private final NDArray beta2T;        // () β₂
    private AdamWKernel kernel;          // made on the first in-place update
    private boolean forceTensorOps;
    private long inPlaceUpdates;          // parameter updates the kernel made

    private static final class State {
        final NDArray expAvg;           // like p, f32
        final NDArray expAvgSq;         // like p, f32
        final FloatBuffer expAvgView;   // their storage in place (CPU), else null
        final FloatBuffer expAvgSqView;
        long step;

        State(NDArray expAvg, NDArray expAvgSq, long step) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            this.expAvgView = AdamWKernel.hostView(expAvg);
            this.expAvgSqView = AdamWKernel.hostView(expAvgSq);
            this.step = step;
        }

        boolean hostViews() {
            return expAvgView != null && expAvgSqView != null;
        }
    }

    /** PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. */
    public AdamW(Device device, double weightDecay, Predicate<String> decays) {
        this(device, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, weightDecay, decays);
    }

    /**
     * @param device where parameters, gradients and state live
     * @param decays which parameter names get weight decay (Hugging Face's Trainer exempts biases and norm weights)
     * @throws IllegalArgumentException for β outside [0, 1), ε ≤ 0 or λ &lt; 0
     */
    public AdamW(Device device, double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas = (" + beta1 + ", " + beta2 + ") must each be in [0, 1)");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps = " + eps + " must be > 0 (PyTorch's default is 1e-8)");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay = " + weightDecay + " must be >= 0");
        }
        this.manager = NDManager.newBaseManager(device);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decays = decays;
        this.beta1T = manager.create((float) beta1);
        this.beta2T = manager.create((float) beta2);
    }

    /**
     * One update of every parameter in {@code params}.
     *
     * @param params f32 (master) parameters by name, updated in place
     * @param grads f32 gradients by name, same shapes; a parameter without one is skipped (as PyTorch skips
     *     {@code grad is None})
     * @param lr learning rate of this step
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        step(params, grads, lr, 1);
    }

    /**
     * One update of every parameter in {@code params} with every gradient taken times {@code gradScale} (clipping
     * and mean normalisation: {@code g · s} is what the update sees; the gradient arrays are not changed). The
     * same as scaling the gradients in place first, without a pass of its own.
     *
     * <p>CPU arrays whose storage is reachable in place take {@link AdamWKernel}'s single pass; any other (GPU)
     * the tensor-op update below; the two agree to float rounding.
     *
     * @param gradScale s, finite and ≥ 0
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double gradScale) {
        if (!(gradScale >= 0) || Double.isInfinite(gradScale)) {
            throw new IllegalArgumentException("gradScale = " + gradScale + " must be finite and >= 0 (it is the "
                    + "clipping factor over the token count)");
        }
        List<AdamWKernel.Update> inPlace = new ArrayList<>();
        try (NDManager tmp = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name);
                if (g == null) {
                    continue;
                }
                if (!g.getShape().equals(p.getShape()) || p.getDataType() != DataType.FLOAT32
                        || g.getDataType() != DataType.FLOAT32) {
                    throw new IllegalArgumentException("AdamW: parameter " + name + " " + p.getShape() + " "
                            + p.getDataType() + " and its gradient " + g.getShape() + " " + g.getDataType()
                            + " must have one shape and be FLOAT32 (keep f32 master weights)");
                }
                State s = states.computeIfAbsent(name, n -> new State(zeros(p), zeros(p), 0));
                s.step++;
                double bias1 = 1 - Math.pow(beta1, s.step);
                double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
                // 4) with √(1 − β₂ᵗ) moved out of the denominator: lr/(1 − β₁ᵗ)·√(1 − β₂ᵗ) · m / (√v + ε·√(1 − β₂ᵗ)),
                // the same quantity with one pass over the parameter fewer
                double stepSize = lr / bias1 * bias2Sqrt;
                double epsHat = eps * bias2Sqrt;
                double decay = weightDecay != 0 && decays.test(name) ? 1 - lr * weightDecay : 1;
                FloatBuffer pView = forceTensorOps ? null : AdamWKernel.hostView(p);
                FloatBuffer gView = pView == null ? null : AdamWKernel.hostView(g);
                if (gView != null && s.hostViews()) {
                    inPlace.add(new AdamWKernel.Update(pView, gView, s.expAvgView, s.expAvgSqView,
                            new AdamWKernel.Coefficients((float) gradScale, (float) decay, (float) beta1,
                                    (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) stepSize,
                                    (float) epsHat)));
                } else {
                    tensorOpStep(p, g, s, gradScale, decay, stepSize, epsHat, tmp);
                }
            }
            if (!inPlace.isEmpty()) {
                kernel().apply(inPlace);
                inPlaceUpdates += inPlace.size();
            }
        }
    }

    /** The update of the class comment in tensor ops (about ten passes; for arrays the kernel cannot reach). */
    private void tensorOpStep(NDArray p, NDArray g, State s, double gradScale, double decay, double stepSize,
                              double epsHat, NDManager tmp) {
        NDArray data = p.stopGradient();                                          // view sharing p's storage
        data.attach(tmp);
        if (decay != 1) {
            data.muli(tmp.create((float) decay));                                 // 1)
        }
        NDArray scratch = g.mul(tmp.create((float) ((1 - beta1) * gradScale)));   // (1 − β₁)·s·g, the one temporary
        scratch.attach(tmp);                                                      //   besides the two below
        s.expAvg.muli(beta1T).addi(scratch);                                      // 2)
        // () turns (1 − β₁)·s·g² into (1 − β₂)·s²·g²
        NDArray g2Scale = tmp.create((float) ((1 - beta2) / (1 - beta1) * gradScale));
        s.expAvgSq.muli(beta2T).addi(scratch.muli(g).muli(g2Scale));              // 3) reusing it
        NDArray denom = s.expAvgSq.sqrt();
        denom.attach(tmp);
        denom.addi(tmp.create((float) epsHat));                                   // √v + ε·√(1 − β₂ᵗ)
        NDArray update = s.expAvg.div(denom);
        update.attach(tmp);
        data.subi(update.muli(tmp.create((float) stepSize)));                     // 4)
        scratch.close();
        denom.close();
        update.close();
    }

    private AdamWKernel kernel() {
        if (kernel == null) {
            kernel = AdamWKernel.matchingLibtorch();
        }
        return kernel;
    }

    /** Parameter updates made by the fused CPU pass so far (the rest took tensor ops). */
    long inPlaceUpdates() {
        return inPlaceUpdates;
    }

    /** Makes every later {@link #step} use tensor ops only (the path GPU arrays take), for comparing the two. */
    void forceTensorOps() {
        this.forceTensorOps = true;
    }

    private NDArray zeros(NDArray like) {
        return manager.zeros(like.getShape(), DataType.FLOAT32, like.getDevice());
    }

    /** Updates applied to {@code name} so far (0 before its first). */
    public long stepCount(String name) {
        State s = states.get(name);
        return s == null ? 0 : s.step;
    }

    /** Names with state, in first-update order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(states.keySet()));
    }

    /** Copies of the moments of {@code name} as f32 values: [exp_avg, exp_avg_sq]; null when it has no state. */
    public float[][] moments(String name) {
        State s = states.get(name);
        return s == null ? null : new float[][] {s.expAvg.toFloatArray(), s.expAvgSq.toFloatArray()};
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** Writes the state (see the class comment). */
    public void save(Path file) {
        SafetensorsWriter writer = new SafetensorsWriter()
                .putMetadata("optimizer", "adamw")
                .putMetadata("beta1", Double.toString(beta1))
                .putMetadata("beta2", Double.toString(beta2))
                .putMetadata("eps", Double.toString(eps))
                .putMetadata("weight_decay", Double.toString(weightDecay));
        states.forEach((name, s) -> {
            writer.add(name + ".exp_avg", s.expAvg, SafetensorsDtype.F32);
            writer.add(name + ".exp_avg_sq", s.expAvgSq, SafetensorsDtype.F32);
            writer.addLongs(name + ".step", new Shape(1), new long[] {s.step});
        });
        writer.write(file);
    }

    /**
     * Replaces the state with the one in {@code file}, checked against the parameters it will update.
     *
     * @throws IllegalArgumentException when a parameter's state is missing or mis-shaped, or the file holds state of
     *     a parameter that is not trained (every problem listed)
     */
    public void load(Path file, Map<String, NDArray> params) {
        List<String> problems = new ArrayList<>();
        Map<String, State> loaded = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String tensor : reader.names()) {
                if (tensor.endsWith(".step")) {
                    String name = tensor.substring(0, tensor.length() - ".step".length());
                    if (!params.containsKey(name)) {
                        problems.add(name + " has optimizer state but is not a trainable parameter");
                    }
                }
            }
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                if (!reader.contains(name + ".step")) {
                    continue; // never updated (PyTorch keeps no state for it either)
                }
                Shape want = e.getValue().getShape();
                NDArray m = read(reader, name + ".exp_avg", want, problems);
                NDArray v = read(reader, name + ".exp_avg_sq", want, problems);
                if (m != null && v != null) {
                    long step;
                    try (NDManager tmp = manager.newSubManager(); NDArray s = reader.read(name + ".step", tmp)) {
                        step = s.toLongArray()[0];
                    }
                    loaded.put(name, new State(m, v, step));
                }
            }
        }
        if (!problems.isEmpty()) {
            loaded.values().forEach(s -> {
                s.expAvg.close();
                s.expAvgSq.close();
            });
            throw new IllegalArgumentException("optimizer state " + file + " does not fit the trained parameters: "
                    + String.join("; ", problems));
        }
        states.values().forEach(s -> {
            s.expAvg.close();
            s.expAvgSq.close();
        });
        states.clear();
        states.putAll(loaded);
    }

    private NDArray read(SafetensorsReader reader, String tensor, Shape want, List<String> problems) {
        if (!reader.contains(tensor)) {
            problems.add("missing " + tensor);
            return null;
        }
        Shape got = reader.info(tensor).shape();
        if (!got.equals(want)) {
            problems.add(tensor + " has shape " + got + " but the parameter is " + want);
            return null;
        }
        return reader.read(tensor, manager, DataType.FLOAT32);
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        manager.close();
    }
}
