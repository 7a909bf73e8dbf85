package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.LinearLayer;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraLinear;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * QLoRA's base model: every projection of every decoder layer (q, k, v, o, gate, up, down) replaced
 * by an {@link Nf4Linear}; embeddings, norms and the LM head stay dense, as bitsandbytes/PEFT
 * QLoRA leave them. Attach LoRA afterwards — {@code LoraAdapter.attach(model, ...)} wraps the NF4
 * layers exactly as it wraps dense ones:
 *
 * <pre>
 * try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.from(request.quantization()));
 *      LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.from(request.lora()), seed)) {
 *     ... train lora.trainableParameters() ...
 * }   // closes LoRA first, then puts the dense projections back
 * </pre>
 *
 * <p>Memory: the codes live in a sub-manager of the model's manager. The dense weights stay in
 * {@link LlamaModel#parameters()} until {@link #releaseDenseWeights()} frees them — training does that, so the
 * base then costs {@link #storedBytes()} instead of 4 bytes per weight; tests that compare against the dense
 * model keep them, and {@link #close()} puts them back.
 */
public final class QuantizedModel implements AutoCloseable {

    private final LlamaModel model;
    private final QuantizationConfig config;
    private final NDManager manager;
    private final Map<String, Nf4Linear> layers;     // module name → quantized layer, model order
    private final Map<String, LinearLayer> originals; // module name → the dense layer it replaced
    private boolean closed;
    private boolean denseReleased;

    private QuantizedModel(LlamaModel model, QuantizationConfig config, NDManager manager,
                           Map<String, Nf4Linear> layers, Map<String, LinearLayer> originals) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.layers = Collections.unmodifiableMap(layers);
        this.originals = originals;
    }

    /**
     * Quantizes every decoder projection of {@code model} in place.
     *
     * @throws IllegalStateException when a projection is not a dense {@link Linear} (already quantized, or
     *     LoRA attached first — quantize before attaching LoRA)
     * @throws IllegalArgumentException when a weight holds NaN/Inf (naming the module)
     */
    public static QuantizedModel quantize(LlamaModel model, QuantizationConfig config) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        List<String> notDense = new ArrayList<>();
        model.linears().forEach((module, layer) -> {
            if (!(layer instanceof Linear)) {
                notDense.add(module + " (" + layer.getClass().getSimpleName() + ")");
            }
        });
        if (!notDense.isEmpty()) {
            throw new IllegalStateException("cannot quantize: these projections are not dense Linear layers: "
                    + String.join(", ", notDense) + "; quantize a freshly loaded model, before attaching LoRA");
        }
        NDManager manager = model.manager().newSubManager();
        Map<String, Nf4Linear> layers = new LinkedHashMap<>();
        Map<String, LinearLayer> originals = new LinkedHashMap<>();
        try {
            CodeTables tables = CodeTables.create(manager);
            model.linears().forEach((module, layer) -> {
                try {
                    layers.put(module, Nf4Linear.quantize((Linear) layer, config, tables, manager));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(module + ".weight: " + e.getMessage(), e);
                }
                originals.put(module, layer);
            });
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        model.replaceLinears((module, current) -> layers.containsKey(module) ? layers.get(module) : current);
        return new QuantizedModel(model, config, manager, layers, originals);
    }

    /** Module name ({@code model.layers.0.self_attn.q_proj}, …) → NF4 layer, in model order. */
    public Map<String, Nf4Linear> layers() {
        return layers;
    }

    public QuantizationConfig config() {
        return config;
    }

    public LlamaModel model() {
        return model;
    }

    /** Number of quantized weights (biases excluded). */
    public long parameters() {
        return layers.values().stream().mapToLong(l -> l.weight().size()).sum();
    }

    /** Bytes of all stored NF4 arrays (codes + absmax or its double quantization). */
    public long storedBytes() {
        return layers.values().stream().mapToLong(l -> l.weight().storedBytes()).sum();
    }

    /** {@link #storedBytes()} / {@link #parameters()}: 0.5625 for NF4 at block 64, ≈ 0.516 with double quantization. */
    public double bytesPerParameter() {
        return (double) storedBytes() / parameters();
    }

    /**
     * Frees the dense projection weights the NF4 layers replaced: QLoRA's memory saving. Afterwards the model
     * only works quantized: {@link #close()} can no longer put dense layers back, so it leaves the NF4 layers in
     * place (freed with the model). Idempotent.
     */
    public void releaseDenseWeights() {
        if (denseReleased) {
            return;
        }
        model.releaseParameters(originals.keySet().stream().map(module -> module + ".weight").toList());
        originals.clear();
        denseReleased = true;
    }

    /** Whether {@link #releaseDenseWeights()} ran. */
    public boolean denseReleased() {
        return denseReleased;
    }

    /**
     * Puts the dense projections back and frees the NF4 arrays. Idempotent. After
     * {@link #releaseDenseWeights()} the NF4 layers stay (the model has nothing else) and go with the model.
     *
     * @throws IllegalStateException when a LoRA adapter still wraps an NF4 layer (close the adapter first)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<String> wrapped = new ArrayList<>();
        model.linears().forEach((module, current) -> {
            if (current instanceof LoraLinear lora && lora.base() == layers.get(module)) {
                wrapped.add(module);
            }
        });
        if (!wrapped.isEmpty()) {
            throw new IllegalStateException("a LoRA adapter still wraps the NF4 layers of " + wrapped.get(0)
                    + (wrapped.size() > 1 ? " and " + (wrapped.size() - 1) + " more" : "")
                    + "; close the LoraAdapter before the QuantizedModel");
        }
        closed = true;
        if (denseReleased) {
            return;
        }
        model.replaceLinears((module, current) -> current == layers.get(module) ? originals.get(module) : current);
        manager.close();
    }
}
