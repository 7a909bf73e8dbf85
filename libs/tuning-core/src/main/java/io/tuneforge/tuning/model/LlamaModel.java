package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.TensorInfo;
import io.tuneforge.tuning.weights.WeightNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A Llama-family decoder-only causal language model (Llama 2/3, Qwen2, Mistral, SmolLM):
 * token embedding → L × {@link DecoderLayer} → final {@link RmsNorm} → LM head (tied or not).
 *
 * <p>Memory: parameters and constants live in this model's manager; each {@link #forward} runs in
 * a sub-manager of the caller's manager (the one owning {@code inputIds}), closed before
 * returning, and only the logits are handed to the caller's manager.
 *
 * <p>Shape letters: B batch, T tokens of this call, V vocabulary, D hidden.
 */
public final class LlamaModel implements AutoCloseable {

    private final ModelConfig config;
    private final DeviceSettings device;
    private final NDManager manager;
    private final Map<String, NDArray> weights;     // mutable: releaseParameters() removes entries
    private final Map<String, NDArray> parameters;  // read-only view of weights
    private final NDArray embedTokens; // (V, D)
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final LinearLayer lmHead;  // D → V
    private final RotaryEmbedding rope;

    private LlamaModel(ModelConfig config, DeviceSettings device, NDManager manager, Map<String, NDArray> weights) {
        this.config = config;
        this.device = device;
        this.manager = manager;
        this.weights = weights;
        this.parameters = Collections.unmodifiableMap(weights);
        DataType type = device.computeType();
        this.embedTokens = weights.get(WeightNames.EMBED_TOKENS);
        this.rope = new RotaryEmbedding(manager, config, type);
        List<DecoderLayer> stack = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            // q/k/v and gate/up become views of one array each, so each group runs as one product
            Attention attention = new Attention(config,
                    FusedProjection.fuse(weights, i, Projection.Q_PROJ, Projection.K_PROJ, Projection.V_PROJ),
                    linear(weights, i, Projection.O_PROJ), manager, type);
            Mlp mlp = new Mlp(FusedProjection.fuse(weights, i, Projection.GATE_PROJ, Projection.UP_PROJ),
                    linear(weights, i, Projection.DOWN_PROJ));
            stack.add(new DecoderLayer(i,
                    new RmsNorm(weights.get(WeightNames.inputNorm(i)), config.rmsNormEps()), attention,
                    new RmsNorm(weights.get(WeightNames.postAttentionNorm(i)), config.rmsNormEps()), mlp));
        }
        this.layers = Collections.unmodifiableList(stack);
        this.norm = new RmsNorm(weights.get(WeightNames.FINAL_NORM), config.rmsNormEps());
        this.lmHead = new Linear(config.tieWordEmbeddings() ? embedTokens : weights.get(WeightNames.LM_HEAD), null);
    }

    private static Linear linear(Map<String, NDArray> weights, int layer, Projection p) {
        return new Linear(weights.get(WeightNames.weight(layer, p)), weights.get(WeightNames.bias(layer, p)));
    }

    /**
     * Loads a Hugging Face model directory: {@code config.json} plus {@code model.safetensors} or
     * {@code model.safetensors.index.json} with its shards.
     *
     * @throws IllegalArgumentException for an unsupported config, or weights missing or mis-shaped
     *     (every problem listed, each with expected and actual shape)
     */
    public static LlamaModel load(Path hfDir, DeviceSettings device) {
        ModelConfig config = ModelConfig.read(hfDir.resolve("config.json"));
        try (SafetensorsReader reader = SafetensorsReader.open(hfDir)) {
            Map<String, Shape> expected = WeightNames.expectedShapes(config);
            Map<String, Shape> found = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (String name : reader.names()) {
                TensorInfo info = reader.info(name);
                found.put(name, info.shape());
                if (!info.dtype().isFloating() && expected.containsKey(name)) {
                    problems.add(name + " is stored as " + info.dtype() + " but must be F32, F16 or BF16");
                }
            }
            problems.addAll(WeightNames.problems(config, found));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("weights in " + hfDir + " do not fit its config.json ("
                        + config.architecture() + ", " + config.numHiddenLayers() + " layers, hidden "
                        + config.hiddenSize() + "): " + String.join("; ", problems));
            }
            NDManager manager = NDManager.newBaseManager(device.device());
            try {
                Map<String, NDArray> weights = new LinkedHashMap<>();
                for (String name : expected.keySet()) {
                    weights.put(name, reader.read(name, manager, device.computeType()));
                }
                return new LlamaModel(config, device, manager, weights);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }

    /**
     * Builds a model from arrays named as in Hugging Face checkpoints ({@link WeightNames}). The
     * arrays are converted to the compute dtype and device and the model takes ownership of them.
     */
    public static LlamaModel fromWeights(ModelConfig config, DeviceSettings device, Map<String, NDArray> weights) {
        Map<String, Shape> found = new LinkedHashMap<>();
        weights.forEach((name, array) -> found.put(name, array.getShape()));
        List<String> problems = WeightNames.problems(config, found);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("weights do not fit the config: " + String.join("; ", problems));
        }
        NDManager manager = NDManager.newBaseManager(device.device());
        Map<String, NDArray> owned = new LinkedHashMap<>();
        for (String name : WeightNames.expectedShapes(config).keySet()) {
            NDArray a = weights.get(name);
            if (a.getDataType() != device.computeType() || !a.getDevice().equals(device.device())) {
                NDArray moved = a.toDevice(device.device(), false);
                NDArray typed = moved.toType(device.computeType(), false);
                typed.attach(manager);
                if (moved != a && moved != typed) {
                    moved.close();
                }
                a.close();
                a = typed;
            } else {
                a.attach(manager);
            }
            owned.put(name, a);
        }
        return new LlamaModel(config, device, manager, owned);
    }

    public ModelConfig config() {
        return config;
    }

    public DeviceSettings device() {
        return device;
    }

    /** The manager owning parameters and constants. */
    public NDManager manager() {
        return manager;
    }

    /** Parameters by Hugging Face name (lm_head absent when tied), in checkpoint order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public List<DecoderLayer> layers() {
        return layers;
    }

    /**
     * Frees the named parameters and removes them from {@link #parameters()}: for layers that no longer read
     * their dense weights (QLoRA's NF4 projections), so the model stops holding 4 bytes per weight.
     *
     * @throws IllegalArgumentException naming a parameter the model does not have (nothing is freed then)
     * @throws IllegalStateException when a current projection still reads one of the arrays
     */
    public void releaseParameters(Collection<String> names) {
        List<String> unknown = names.stream().filter(n -> !weights.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cannot release unknown parameters " + unknown);
        }
        linears().forEach((module, layer) -> {
            if (layer instanceof Linear dense && names.stream().anyMatch(n -> weights.get(n) == dense.weight())) {
                throw new IllegalStateException(module + " still reads its dense weight; replace it before releasing");
            }
        });
        for (String name : names) {
            weights.remove(name).close();
        }
        for (DecoderLayer layer : layers) {
            layer.attention().fusedQkv().releaseIfUnused(weights.values());
            layer.mlp().fusedGateUp().releaseIfUnused(weights.values());
        }
    }

    /**
     * Runs q/k/v and gate/up of every layer as one matrix product each (true, the default) or each projection
     * on its own (false). Both give the same results up to float rounding of the products; the switch is for
     * tests and measurements. The fused product runs only while the projections are dense or LoRA around
     * dense ({@link FusedProjection}); NF4 layers always run one by one.
     */
    public void setFusedProjections(boolean fused) {
        for (DecoderLayer layer : layers) {
            layer.attention().fusedQkv().setEnabled(fused);
            layer.mlp().fusedGateUp().setEnabled(fused);
        }
    }

    /**
     * Runs the decoder.
     *
     * @param inputIds (B, T) int64 (any integer type is accepted)
     * @param attentionMask (B, T), 1 = token, 0 = padding (left or right), or null for all ones
     * @param cache past keys/values (appended to), or null for a stand-alone call
     * @return logits (B, T, V) float32, owned by {@code inputIds}' manager
     */
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache) {
        return run(inputIds, attentionMask, cache, null, null, false);
    }

    /**
     * Runs the decoder over packed rows: several examples share a row, each with its own
     * positions, and attention never crosses from one example to another (block-diagonal causal
     * mask), so every example's logits equal those of the example alone.
     *
     * @param inputIds (B, T) int64
     * @param attentionMask (B, T), 1 = token, 0 = padding, or null for all ones
     * @param cache must be null when {@code segmentIds} is given (packing is for training)
     * @param positionIds (B, T) integer rotary positions (restarting at 0 per example), or null to derive them
     *     from the mask as {@link #forward(NDArray, NDArray, KvCache)} does
     * @param segmentIds (B, T) integer example index within the row; a query attends to a key only with the
     *     same segment id; or null for no restriction
     * @return logits (B, T, V) float32, owned by {@code inputIds}' manager
     */
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache, NDArray positionIds,
                           NDArray segmentIds) {
        return run(inputIds, attentionMask, cache, positionIds, segmentIds, false);
    }

    /**
     * Like {@link #forward} but returns only the last position's logits, (B, V) float32: what a
     * decoding step needs, without the (B, T, V) tensor of a long prefill.
     */
    public NDArray forwardLast(NDArray inputIds, NDArray attentionMask, KvCache cache) {
        return run(inputIds, attentionMask, cache, null, null, true);
    }

    private NDArray run(NDArray inputIds, NDArray attentionMask, KvCache cache, NDArray positionIds,
                        NDArray segmentIds, boolean lastOnly) {
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2 || shape.get(1) == 0) {
            throw new IllegalArgumentException("inputIds must be (B, T) with T >= 1; got " + shape);
        }
        if (attentionMask != null && !attentionMask.getShape().equals(shape)) {
            throw new IllegalArgumentException("attentionMask " + attentionMask.getShape()
                    + " must have the shape of inputIds " + shape);
        }
        checkPacking(shape, cache, positionIds, segmentIds);
        long t = shape.get(1);
        int past = 0;
        if (cache != null) {
            cache.checkFits(shape.get(0), t);
            past = cache.length();
        }
        if (past + t > rope.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + (past + t) + " tokens exceeds max_position_embeddings = "
                    + rope.maxPositions());
        }
        NDManager caller = inputIds.getManager();
        try (NDManager step = caller.newSubManager(device.device())) {
            NDArray ids = own(step, inputIds);                                                   // (B, T)
            boolean allTokens = attentionMask == null;
            NDArray mask = !allTokens ? own(step, attentionMask)
                    : cache != null && t == 1 ? cache.allTokens() : step.ones(shape, DataType.INT64); // (B, T)
            AttentionMask am = AttentionMask.of(step, mask, allTokens, cache, config.slidingWindow());
            if (segmentIds != null) {
                am = am.withinSegments(own(step, segmentIds));
            }
            NDArray positions = positionIds == null ? am.positionIds : own(step, positionIds);  // (B, T)
            NDList angles = rope.angles(positions);                                              // 2 × (B, 1, T, hd)
            NDArray maskBias = am.bias(step);                                    // (B, 1, T, S) f32, or null: no mask
            NDArray h = ids.getNDArrayInternal().embedding(ids, embedTokens, SparseFormat.DENSE)
                    .singletonOrThrow();                                                         // (B, T, D)
            for (DecoderLayer layer : layers) {
                h = layer.forward(h, rope, angles.get(0), angles.get(1), maskBias, cache);       // (B, T, D)
            }
            if (lastOnly) {
                h = t == 1 ? h.reshape(shape.get(0), config.hiddenSize())                        // (B, D) a view
                        : h.get(new NDIndex(":, -1"));                                          // (B, D)
            }
            NDArray logits = lmHead.forward(norm.forward(h));                                    // (B, T, V) or (B, V)
            if (logits.getDataType() != DataType.FLOAT32) {
                logits = logits.toType(DataType.FLOAT32, false);
            }
            if (cache != null) {
                cache.advance(mask);
            }
            logits.attach(caller);
            return logits;
        }
    }

    /** Packed-forward arguments: (B, T) each, position ids inside the rotary table, no cache with segments. */
    private void checkPacking(Shape shape, KvCache cache, NDArray positionIds, NDArray segmentIds) {
        if (segmentIds != null && cache != null) {
            throw new IllegalArgumentException("segmentIds (packed sequences) cannot be combined with a KvCache;"
                    + " pass cache = null, packing is for training and scoring");
        }
        for (NDArray a : new NDArray[] {positionIds, segmentIds}) {
            if (a != null && !a.getShape().equals(shape)) {
                throw new IllegalArgumentException((a == positionIds ? "positionIds " : "segmentIds ") + a.getShape()
                        + " must have the shape of inputIds " + shape);
            }
        }
        if (positionIds != null) {
            long max = positionIds.max().toType(DataType.INT64, false).getLong();
            long min = positionIds.min().toType(DataType.INT64, false).getLong();
            if (min < 0 || max >= rope.maxPositions()) {
                throw new IllegalArgumentException("positionIds range over [" + min + ", " + max + "] but must lie in"
                        + " [0, " + rope.maxPositions() + ") (max_position_embeddings)");
            }
        }
    }

    /**
     * A caller's integer array as int64 on the model's device: the array itself when it already is (lent to
     * {@code step} until the step closes, so what is computed from it is freed with the step; no copy), else a
     * copy owned by {@code step}.
     */
    private NDArray own(NDManager step, NDArray array) {
        if (array.getDataType() == DataType.INT64 && array.getDevice().equals(device.device())) {
            array.tempAttach(step);
            return array;
        }
        NDArray copy = array.toDevice(device.device(), true);
        copy.attach(step);
        return copy.getDataType() == DataType.INT64 ? copy : copy.toType(DataType.INT64, false);
    }

    /**
     * A cache for incremental decoding of {@code batchSize} rows, up to {@code maxLength} slots
     * (prompt incl. padding + generated tokens). Close it when done.
     */
    public KvCache newCache(int batchSize, int maxLength) {
        if (maxLength > rope.maxPositions()) {
            throw new IllegalArgumentException("maxLength " + maxLength + " exceeds max_position_embeddings = "
                    + rope.maxPositions());
        }
        return new KvCache(manager, config, device.computeType(), batchSize, maxLength);
    }

    /** Every projection by module name ({@code model.layers.0.self_attn.q_proj}, …). */
    public Map<String, LinearLayer> linears() {
        Map<String, LinearLayer> out = new LinkedHashMap<>();
        for (DecoderLayer layer : layers) {
            for (Projection p : Projection.values()) {
                out.put(WeightNames.module(layer.index(), p), layer.projection(p));
            }
        }
        return out;
    }

    /**
     * Replaces projections, e.g. to wrap targets with LoRA: {@code f(moduleName, current)} returns
     * the replacement (or {@code current} to keep it).
     */
    public void replaceLinears(BiFunction<String, LinearLayer, LinearLayer> f) {
        for (DecoderLayer layer : layers) {
            for (Projection p : Projection.values()) {
                LinearLayer current = layer.projection(p);
                LinearLayer next = f.apply(WeightNames.module(layer.index(), p), current);
                if (next != current) {
                    layer.setProjection(p, next);
                }
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
