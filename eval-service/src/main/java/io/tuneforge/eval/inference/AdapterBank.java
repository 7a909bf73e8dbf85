package io.tuneforge.eval.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraLinear;
import io.tuneforge.tuning.train.GradMode;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LoRA adapters loaded over one base model, at most {@code capacity}, least recently used dropped first.
 *
 * <ol>
 *   <li>At creation every projection of the model is wrapped in a {@link MultiLoraLinear}.</li>
 *   <li>{@link #load}: the PEFT files are read and checked by {@link LoraAdapter#load} (attached for a moment over
 *       the wrappers), lora_A, lora_B and the scaling of each targeted projection are copied into the adapter's own
 *       sub-manager, and the temporary attachment is closed again.</li>
 *   <li>{@link #activate}: every wrapper switches to that adapter's update (or to none).</li>
 * </ol>
 * Memory per adapter: its A and B, nothing of the base. Not thread-safe: use it under the model's lock.
 */
final class AdapterBank implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdapterBank.class);

    private final LlamaModel model;
    private final int capacity;
    private final Map<String, MultiLoraLinear> wrappers = new LinkedHashMap<>();
    private final LinkedHashMap<String, NDManager> loaded = new LinkedHashMap<>(16, 0.75f, true);

    AdapterBank(LlamaModel model, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("tuneforge.eval.inference.max-adapters must be >= 1, got " + capacity);
        }
        this.model = model;
        this.capacity = capacity;
        model.replaceLinears((module, current) -> {
            MultiLoraLinear wrapper = new MultiLoraLinear(current);
            wrappers.put(module, wrapper);
            return wrapper;
        });
    }

    boolean contains(String key) {
        return loaded.containsKey(key);
    }

    /** Adapters loaded now, least recently used first. */
    List<String> loaded() {
        return new ArrayList<>(loaded.keySet());
    }

    /**
     * Loads the PEFT adapter in {@code dir} under {@code key} (a no-op but for recency when it is loaded), dropping
     * the least recently used adapter when the bank is full.
     *
     * @throws io.tuneforge.tuning.peft.MalformedAdapterException when the files do not fit PEFT's format or the model
     */
    void load(String key, Path dir) {
        if (loaded.get(key) != null) {
            return;
        }
        while (loaded.size() >= capacity) {
            String eldest = loaded.keySet().iterator().next();
            evict(eldest);
            LOG.infof("Dropped adapter %s (least recently used; max-adapters = %d)", eldest, capacity);
        }
        NDManager owner = model.manager().newSubManager();
        try (GradMode off = GradMode.disabled(); LoraAdapter adapter = LoraAdapter.load(dir, model)) {
            for (Map.Entry<String, LoraLinear> e : adapter.layers().entrySet()) {
                LoraLinear layer = e.getValue();
                NDArray a = copy(layer.loraA(), owner);                                      // (r, in)
                NDArray b = copy(layer.loraB(), owner);                                      // (out, r)
                NDArray scaling = owner.full(new Shape(), (float) layer.scaling(), a.getDataType()); // ()
                wrappers.get(e.getKey()).put(key, new MultiLoraLinear.Update(a, b, scaling));
            }
        } catch (RuntimeException e) {
            wrappers.values().forEach(w -> w.remove(key));
            owner.close();
            throw e;
        }
        loaded.put(key, owner);
        LOG.infof("Loaded adapter %s (%d of %d)", key, loaded.size(), capacity);
    }

    private static NDArray copy(NDArray source, NDManager owner) {
        NDArray copy = source.duplicate();
        copy.attach(owner);
        return copy;
    }

    /** Switches every projection to the adapter {@code key} (which must be loaded), or to none when null. */
    void activate(String key) {
        if (key != null && loaded.get(key) == null) {
            throw new IllegalStateException("adapter " + key + " is not loaded; load it first");
        }
        wrappers.values().forEach(w -> w.activate(key));
    }

    private void evict(String key) {
        wrappers.values().forEach(w -> w.remove(key));
        NDManager owner = loaded.remove(key);
        if (owner != null) {
            owner.close();
        }
    }

    /** Drops every adapter and puts the plain projections back. */
    @Override
    public void close() {
        new ArrayList<>(loaded.keySet()).forEach(this::evict);
        model.replaceLinears((module, current) -> current instanceof MultiLoraLinear m ? m.base() : current);
    }
}
