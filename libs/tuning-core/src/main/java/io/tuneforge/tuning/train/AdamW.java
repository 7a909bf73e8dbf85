package io.tuneforge.tuning.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;

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
 * <p>Updates are in place on {@code stopGradient()} views of the parameters (autograd must not see
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
    private final NDArray oneMinusBeta1; // () 1 − β₁
    private final NDArray beta2T;        // () β₂
    private final NDArray epsT;          // () ε

    private static final class State {
        final NDArray expAvg;   // like p, f32
        final NDArray expAvgSq; // like p, f32
        long step;

        State(NDArray expAvg, NDArray expAvgSq, long step) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            this.step = step;
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
        this.oneMinusBeta1 = manager.create((float) (1 - beta1));
        this.beta2T = manager.create((float) beta2);
        this.epsT = manager.create((float) eps);
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
        try (NDManager tmp = manager.newSubManager()) {
            NDArray decayFactor = tmp.create((float) (1 - lr * weightDecay)); // () 1 − lr·λ
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
                NDArray stepSize = tmp.create((float) (lr / bias1 * bias2Sqrt));
                NDArray epsHat = tmp.create((float) (eps * bias2Sqrt));
                NDArray g2Scale = tmp.create((float) ((1 - beta2) / (1 - beta1))); // () turns (1 − β₁)·g² into (1 − β₂)·g²

                NDArray data = p.stopGradient();                                  // view sharing p's storage
                data.attach(tmp);
                if (weightDecay != 0 && decays.test(name)) {
                    data.muli(decayFactor);                                       // 1)
                }
                NDArray scratch = g.mul(oneMinusBeta1);                           // (1 − β₁)·g, the step's one temporary
                scratch.attach(tmp);                                              //   besides the two below
                s.expAvg.muli(beta1T).addi(scratch);                              // 2)
                s.expAvgSq.muli(beta2T).addi(scratch.muli(g).muli(g2Scale));      // 3) reusing it for (1 − β₂)·g²
                NDArray denom = s.expAvgSq.sqrt();
                denom.attach(tmp);
                denom.addi(epsHat);                                               // √v + ε·√(1 − β₂ᵗ)
                NDArray update = s.expAvg.div(denom);
                update.attach(tmp);
                data.subi(update.muli(stepSize));                                 // 4)
                scratch.close();
                denom.close();
                update.close();
            }
        }
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
        manager.close();
    }
}
