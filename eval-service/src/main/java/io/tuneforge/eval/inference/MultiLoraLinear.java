package io.tuneforge.eval.inference;

import ai.djl.ndarray.NDArray;
import io.tuneforge.tuning.model.LinearLayer;

import java.util.HashMap;
import java.util.Map;

/**
 * A frozen projection with any number of LoRA updates kept side by side, of which at most one is active:
 *
 * <pre>
 * y = base(x) + (x · Aᵀ · Bᵀ) · scaling        of the active adapter; base(x) alone when none is active
 * x (…, in), A (r, in), B (out, r), y (…, out)
 * </pre>
 *
 * Several adapters thus serve over ONE loaded base model: switching is setting a field, with no weights copied
 * and no merge. Inference only: no dropout, no gradients. Not thread-safe; {@link AdapterBank} switches and runs it
 * under its model's lock.
 */
final class MultiLoraLinear implements LinearLayer {

    /** One adapter's update of this projection: A (r, in), B (out, r), scaling () in the compute type. */
    record Update(NDArray a, NDArray b, NDArray scaling) {
    }

    private final LinearLayer base;
    private final Map<String, Update> updates = new HashMap<>();
    private Update active;

    MultiLoraLinear(LinearLayer base) {
        this.base = base;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = base.forward(x);                                                           // (…, out)
        if (active == null) {
            return y;
        }
        NDArray down = x.getNDArrayInternal().linear(x, active.a(), null).singletonOrThrow();  // (…, r)
        NDArray up = down.getNDArrayInternal().linear(down, active.b(), null).singletonOrThrow(); // (…, out)
        return y.add(up.mul(active.scaling()));                                                // (…, out)
    }

    void put(String adapter, Update update) {
        updates.put(adapter, update);
    }

    void remove(String adapter) {
        Update removed = updates.remove(adapter);
        if (removed != null && removed == active) {
            active = null;
        }
    }

    /** Makes {@code adapter} the active update; null, or an adapter that does not target this projection, = none. */
    void activate(String adapter) {
        active = adapter == null ? null : updates.get(adapter);
    }

    LinearLayer base() {
        return base;
    }

    @Override
    public int inFeatures() {
        return base.inFeatures();
    }

    @Override
    public int outFeatures() {
        return base.outFeatures();
    }
}
