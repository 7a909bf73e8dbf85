package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arrays a run trains, each with an f32 master copy the optimizer updates (mixed precision as
 * in Micikevicius et al. 2018, "Mixed Precision Training").
 *
 * <ul>
 *   <li>CPU (f32): the master <em>is</em> the model's array; nothing is copied.</li>
 *   <li>GPU (bf16 compute): the master is an f32 copy; gradients (bf16) are cast to f32 before
 *       clipping and the update, and {@link #syncToModel()} casts the updated master back into
 *       the model's array in place. Optimizer moments are f32 either way.</li>
 * </ul>
 *
 * Creating this marks every model array as requiring a gradient; {@link #close()} clears the mark
 * and frees the master copies.
 */
public final class TrainableParameters implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex("...");

    private final NDManager manager;
    private final Map<String, NDArray> model;  // as the forward pass sees them (compute dtype)
    private final Map<String, NDArray> master; // f32; the same arrays as `model` when that is f32
    private final long elementCount;

    /**
     * @param arrays the model arrays to train, by name (PEFT names for adapters, Hugging Face names for full
     *     fine-tuning); their manager stays their owner
     */
    public TrainableParameters(Map<String, NDArray> arrays) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("nothing to train: no trainable parameters were given");
        }
        NDArray first = arrays.values().iterator().next();
        this.manager = NDManager.newBaseManager(first.getDevice());
        Map<String, NDArray> m = new LinkedHashMap<>();
        Map<String, NDArray> f32 = new LinkedHashMap<>();
        long count = 0;
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray a = e.getValue();
            if (!a.getDataType().isFloating()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is " + a.getDataType()
                        + "; only floating arrays can train");
            }
            a.setRequiresGradient(true);
            m.put(e.getKey(), a);
            if (a.getDataType() == DataType.FLOAT32) {
                f32.put(e.getKey(), a);
            } else {
                NDArray copy = a.stopGradient().toType(DataType.FLOAT32, true);       // master, f32
                copy.attach(manager);
                f32.put(e.getKey(), copy);
            }
            count += a.getShape().size();
        }
        this.model = Collections.unmodifiableMap(m);
        this.master = Collections.unmodifiableMap(f32);
        this.elementCount = count;
    }

    /** The arrays the forward pass uses. */
    public Map<String, NDArray> model() {
        return model;
    }

    /** The f32 arrays the optimizer updates (and checkpoints store). */
    public Map<String, NDArray> master() {
        return master;
    }

    /** Whether masters are separate f32 copies (bf16 compute). */
    public boolean hasSeparateMasters() {
        return model.entrySet().stream().anyMatch(e -> e.getValue() != master.get(e.getKey()));
    }

    /** Trainable elements. */
    public long elementCount() {
        return elementCount;
    }

    /**
     * The accumulated gradients as f32 arrays owned by {@code tmp} (new handles; closing them does not free the
     * gradients themselves when no cast was needed).
     */
    public Map<String, NDArray> gradients(NDManager tmp) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        model.forEach((name, a) -> {
            NDArray g = a.getGradient();
            g.attach(tmp);
            if (g.getDataType() != DataType.FLOAT32) {
                g = g.toType(DataType.FLOAT32, false);
            }
            out.put(name, g);
        });
        return out;
    }

    /**
     * Sets every accumulated gradient to zero (in place, a write-only pass: PyTorch's
     * {@code zero_grad(set_to_none=False)}; also clears NaN and infinities, which {@code g − g} would keep).
     */
    public void zeroGradients() {
        for (NDArray a : model.values()) {
            JniUtils.zeroGrad((PtNDArray) a);
        }
    }

    /** Copies updated masters into the model's arrays (cast to their dtype); nothing to do when they are one. */
    public void syncToModel() {
        model.forEach((name, a) -> {
            NDArray m = master.get(name);
            if (m != a) {
                try (NDArray cast = m.toType(a.getDataType(), true); NDArray view = a.stopGradient()) {
                    view.set(ALL, cast); // in place; copyTo(view) would only rebind the view's handle
                }
            }
        });
    }

    /**
     * Overwrites a parameter's values (resume from a checkpoint): the master and, through
     * {@link #syncToModel()}, the model's array.
     *
     * @param values f32, the parameter's shape
     */
    public void assign(String name, NDArray values) {
        NDArray m = master.get(name);
        if (m == null) {
            throw new IllegalArgumentException(name + " is not a trained parameter");
        }
        if (!m.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException(name + ": checkpoint holds " + values.getShape() + " but the parameter is "
                    + m.getShape());
        }
        try (NDArray view = m.stopGradient(); NDArray cast = values.toType(DataType.FLOAT32, true)) {
            view.set(ALL, cast); // in place; copyTo(view) would only rebind the view's handle
        }
    }

    @Override
    public void close() {
        model.values().forEach(a -> a.setRequiresGradient(false));
        manager.close();
    }
}
