package io.tuneforge.tuning.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LinearLayer;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.Projection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A LoRA adapter attached to a {@link LlamaModel}: every targeted projection of every layer is
 * wrapped in a {@link LoraLinear}, the base weights are frozen, and only {@code lora_A}/{@code lora_B}
 * require gradients (PEFT's {@code get_peft_model} + {@code mark_only_lora_as_trainable}).
 *
 * <pre>
 * try (LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.from(request.lora()), seed)) {
 *     lora.setTraining(true);
 *     ... model.forward(...) → loss → backward → optimizer over lora.trainableParameters() ...
 *     lora.save(out.resolve("adapter"), baseModel);
 * }
 * </pre>
 *
 * <p>Parameter names are PEFT's saved names ({@link PeftNames}), e.g.
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. Files are PEFT's format
 * ({@link PeftAdapterFiles}): adapters written here load in PEFT, and PEFT's load here.
 *
 * <p>Memory: the adapter's arrays live in a sub-manager of the model's manager. {@link #close()}
 * puts the original projections back and frees them; closing a merged adapter leaves the update in
 * the base weights (PEFT's {@code merge_and_unload}).
 */
public final class LoraAdapter implements AutoCloseable {

    private final LlamaModel model;
    private final LoraConfig config;
    private final long seed;
    private final NDManager manager;
    private final Map<String, LoraLinear> layers;          // module name → layer, model order
    private final Map<String, NDArray> trainable;          // PEFT name → array
    private String baseModelNameOrPath;
    private boolean closed;

    private LoraAdapter(LlamaModel model, LoraConfig config, long seed, NDManager manager,
                        Map<String, LoraLinear> layers) {
        this.model = model;
        this.config = config;
        this.seed = seed;
        this.manager = manager;
        this.layers = Collections.unmodifiableMap(layers);
        Map<String, NDArray> params = new LinkedHashMap<>();
        layers.forEach((module, layer) -> {
            params.put(PeftNames.loraA(module), layer.loraA());
            params.put(PeftNames.loraB(module), layer.loraB());
        });
        this.trainable = Collections.unmodifiableMap(params);
    }

    /**
     * Wraps every targeted projection of {@code model} with a fresh adapter: {@code A} Kaiming-uniform
     * from (seed, module name), {@code B} zero, so the model's output is unchanged until training.
     *
     * @throws IllegalStateException when the model already carries an adapter
     */
    public static LoraAdapter attach(LlamaModel model, LoraConfig config, long seed) {
        Objects.requireNonNull(config, "config");
        return attach(model, config, seed, (module, base) -> {
            NDManager m = model.manager();
            float[] a = LoraInit.kaimingUniformA(seed, module, config.r(), base.inFeatures());
            return new NDArray[] {m.create(a, new Shape(config.r(), base.inFeatures())),    // (r, in)
                                  m.zeros(new Shape(base.outFeatures(), config.r()))};       // (out, r)
        });
    }

    /**
     * Attaches with initial values from {@code init(module, base)} → {A (r, in), B (out, r)} (any
     * manager: they are converted to the compute type and taken over).
     */
    static LoraAdapter attach(LlamaModel model, LoraConfig config, long seed,
                              BiFunction<String, LinearLayer, NDArray[]> init) {
        Objects.requireNonNull(model, "model");
        for (Map.Entry<String, LinearLayer> e : model.linears().entrySet()) {
            if (e.getValue() instanceof LoraLinear) {
                throw new IllegalStateException("the model already carries a LoRA adapter (" + e.getKey()
                        + "); close it first — one adapter per model");
            }
        }
        NDManager manager = model.manager().newSubManager();
        DataType type = model.device().computeType();
        Map<String, LoraLinear> layers = new LinkedHashMap<>();
        try {
            NDArray scaling = manager.full(new Shape(), (float) config.scaling(), type);                   // ()
            NDArray keepScale = manager.full(new Shape(), (float) (1.0 / (1.0 - config.dropout())), type); // ()
            model.linears().forEach((module, base) -> {
                if (!config.targets(projectionOf(module))) {
                    return;
                }
                NDArray[] ab = init.apply(module, base);
                NDArray a = own(manager, ab[0], type);
                NDArray b = own(manager, ab[1], type);
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                layers.put(module, new LoraLinear(module, base, a, b, config.scaling(), scaling, config.dropout(),
                        keepScale, seed));
            });
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        freeze(model);
        model.replaceLinears((module, current) -> layers.containsKey(module) ? layers.get(module) : current);
        return new LoraAdapter(model, config, seed, manager, layers);
    }

    private static NDArray own(NDManager manager, NDArray array, DataType type) {
        NDArray moved = array.toDevice(manager.getDevice(), false);
        if (moved != array) {
            array.close();
        }
        NDArray typed = moved.getDataType() == type ? moved : moved.toType(type, false);
        if (typed != moved) {
            moved.close();
        }
        typed.attach(manager);
        return typed;
    }

    /** Base weights must not collect gradients (PEFT freezes everything but the adapter). */
    private static void freeze(LlamaModel model) {
        for (NDArray p : model.parameters().values()) {
            if (p.hasGradient()) {
                p.setRequiresGradient(false);
            }
        }
    }

    static Projection projectionOf(String module) {
        return Projection.byModuleName(module.substring(module.lastIndexOf('.') + 1));
    }

    /**
     * Reads a PEFT adapter directory ({@code adapter_config.json} + {@code adapter_model.safetensors})
     * and attaches it to {@code model} with the saved weights.
     *
     * @throws MalformedAdapterException listing every reason the files do not fit PEFT's format or the model
     */
    public static LoraAdapter load(Path dir, LlamaModel model) {
        return PeftAdapterFiles.load(dir, model, 0L);
    }

    /** {@link #load(Path, LlamaModel)} with the seed of later dropout masks (to continue training it). */
    public static LoraAdapter load(Path dir, LlamaModel model, long seed) {
        return PeftAdapterFiles.load(dir, model, seed);
    }

    /**
     * Writes {@code dir/adapter_config.json} and {@code dir/adapter_model.safetensors} as PEFT's
     * {@code save_pretrained} does (F32 tensors, keys without the adapter name).
     *
     * @param baseModelNameOrPath recorded as {@code base_model_name_or_path} (may be null)
     */
    public void save(Path dir, String baseModelNameOrPath) {
        checkOpen();
        PeftAdapterFiles.save(this, dir, baseModelNameOrPath);
    }

    /** lora_A / lora_B by PEFT name, {@code base_model.model.model.layers.{i}.{block}.{proj}.lora_{A,B}.weight}. */
    public Map<String, NDArray> trainableParameters() {
        checkOpen();
        return trainable;
    }

    /**
     * Copies saved values into the adapter's parameters in place (resume from a checkpoint): every
     * name of {@link #trainableParameters()} must be present with its shape.
     */
    public void copyFrom(Map<String, NDArray> values) {
        checkOpen();
        List<String> problems = new ArrayList<>();
        trainable.forEach((name, p) -> {
            NDArray v = values.get(name);
            if (v == null) {
                problems.add("missing " + name + " " + p.getShape());
            } else if (!v.getShape().equals(p.getShape())) {
                problems.add(name + " has shape " + v.getShape() + " but the adapter needs " + p.getShape());
            }
        });
        values.keySet().stream().filter(n -> !trainable.containsKey(n))
                .forEach(n -> problems.add("unexpected " + n + " (not a parameter of this adapter)"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot copy LoRA values: " + String.join("; ", problems));
        }
        layers.forEach((module, layer) ->
                layer.assign(values.get(PeftNames.loraA(module)), values.get(PeftNames.loraB(module))));
    }

    /** Module name → adapted layer, in model order. */
    public Map<String, LoraLinear> layers() {
        return layers;
    }

    public LoraConfig config() {
        return config;
    }

    /** The seed A's initial values and the dropout masks derive from. */
    public long seed() {
        return seed;
    }

    /** The model this adapter is attached to. */
    public LlamaModel model() {
        return model;
    }

    /** {@code base_model_name_or_path} of a loaded adapter, else null. */
    public String baseModelNameOrPath() {
        return baseModelNameOrPath;
    }

    void setBaseModelNameOrPath(String value) {
        this.baseModelNameOrPath = value;
    }

    /** Switches every adapter path off (the base model, e.g. DPO's reference) or on. */
    public void setDisabled(boolean disabled) {
        checkOpen();
        if (disabled && merged()) {
            throw new IllegalStateException("the adapter is merged into the base weights and cannot be disabled;"
                    + " unmerge() first");
        }
        layers.values().forEach(l -> l.setDisabled(disabled));
    }

    public boolean disabled() {
        return layers.values().stream().allMatch(LoraLinear::disabled);
    }

    /** Training mode applies LoRA dropout; evaluation mode (the default after attach/load) does not. */
    public void setTraining(boolean training) {
        checkOpen();
        layers.values().forEach(l -> l.setTraining(training));
    }

    /**
     * Starts optimizer step {@code step}: dropout masks derive from (seed, module, step, call within
     * the step), so a run resumed at step n draws the masks the uninterrupted run drew.
     */
    public void beginStep(long step) {
        checkOpen();
        layers.values().forEach(l -> l.beginStep(step));
    }

    /**
     * Adds {@code scaling · B · A} into every adapted base weight; forward then skips the adapter
     * path. All updates are checked for NaN/Inf before any weight changes.
     *
     * @throws IllegalStateException when already merged, disabled, or an update holds NaN/Inf
     * @throws UnsupportedOperationException when a wrapped base is not a dense {@link Linear} (nothing changes)
     */
    public void merge() {
        checkOpen();
        if (merged()) {
            throw new IllegalStateException("the adapter is already merged; unmerge() before merging again");
        }
        checkFinite("merge");
        List<String> notDense = layers.values().stream().filter(l -> !(l.base() instanceof Linear))
                .map(LoraLinear::moduleName).toList();
        if (!notDense.isEmpty()) {
            throw new UnsupportedOperationException("cannot merge LoRA into " + String.join(", ", notDense)
                    + ": only a dense Linear weight can hold the update (a quantized base must be dequantized first)");
        }
        layers.values().forEach(LoraLinear::merge);
    }

    /** Removes the update from the base weights again. */
    public void unmerge() {
        checkOpen();
        if (!merged()) {
            throw new IllegalStateException("the adapter is not merged; nothing to unmerge");
        }
        checkFinite("unmerge");
        layers.values().forEach(LoraLinear::unmerge);
    }

    private void checkFinite(String operation) {
        List<String> bad = new ArrayList<>();
        trainable.forEach((name, p) -> {
            if (p.isNaN().any().getBoolean() || p.isInfinite().any().getBoolean()) {
                bad.add(name);
            }
        });
        if (!bad.isEmpty()) {
            throw new IllegalStateException("refusing to " + operation + ": NaN or Inf in " + String.join(", ", bad)
                    + " (training diverged); no base weight was changed");
        }
    }

    /** Whether the base weights hold the update. */
    public boolean merged() {
        return !layers.isEmpty() && layers.values().iterator().next().merged();
    }

    /**
     * Every model parameter by Hugging Face name, as a merged model would store it (for export):
     * adapted weights are new arrays {@code W + scaling·B·A} owned by {@code manager}; all other
     * entries — and every entry when the adapter is already merged — are the model's own arrays
     * (do not close those).
     *
     * @throws IllegalStateException when an update holds NaN/Inf
     */
    public Map<String, NDArray> mergedWeights(NDManager manager) {
        checkOpen();
        if (merged()) {
            return model.parameters();
        }
        checkFinite("export merged weights of");
        Map<String, NDArray> out = new LinkedHashMap<>(model.parameters());
        layers.forEach((module, layer) -> {
            String name = module + ".weight";
            NDArray w = out.get(name);
            if (w == null) {
                throw new UnsupportedOperationException("cannot merge LoRA into " + module + ": the model has no dense "
                        + name + " (a quantized base?)");
            }
            NDArray merged = w.duplicate();
            merged.attach(manager);
            try (NDManager scope = manager.newSubManager()) {
                merged.addi(layer.deltaWeight(scope).toType(merged.getDataType(), false));
            }
            out.put(name, merged);
        });
        return Collections.unmodifiableMap(out);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this LoRA adapter is closed");
        }
    }

    /** Puts the original projections back and frees the adapter's arrays. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        model.replaceLinears((module, current) -> current == layers.get(module) ? layers.get(module).base() : current);
        manager.close();
    }
}
