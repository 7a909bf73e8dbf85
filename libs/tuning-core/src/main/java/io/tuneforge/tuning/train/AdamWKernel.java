package io.tuneforge.tuning.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * AdamW's update of f32 arrays in host memory as one pass: each element of p, g, m and v is read
 * once and p, m, v written once, where the same update in tensor ops is about ten passes over
 * each array, with two temporaries of its size (the update is bound by memory traffic). It runs
 * on libtorch's own CPU storage, reached through {@link NDArray#toByteBuffer(boolean)} views (no
 * copy), split over as many threads as libtorch's intra-op pool has. Per element, with the
 * coefficients of {@link Coefficients}:
 *
 * <pre>
 * 1) g ← g · s                              clipping and mean normalisation, applied as g is read
 * 2) p ← p · (1 − lr·λ)                     only where the parameter decays
 * 3) m ← β₁·m + (1 − β₁)·g
 * 4) v ← β₂·v + (1 − β₂)·g·g
 * 5) p ← p − (m / (√v + ε·√(1 − β₂ᵗ))) · lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)
 * </pre>
 *
 * <p>Only arrays that {@link #hostView} can see in place take this path; anything else (a GPU
 * array, a strided view) is left to the tensor-op update.
 */
final class AdamWKernel implements AutoCloseable {

    /** Elements per task: large enough that scheduling is noise, small enough to balance two threads. */
    private static final int CHUNK = 1 << 16;

    private final ForkJoinPool pool;

    /** @param threads worker threads (libtorch's intra-op count is the natural choice) */
    AdamWKernel(int threads) {
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    /** A pool sized like libtorch's intra-op pool. */
    static AdamWKernel matchingLibtorch() {
        return new AdamWKernel(Math.max(1, JniUtils.getNumThreads()));
    }

    /**
     * The per-step scalars of one parameter, as f32 (the precision the tensor ops use).
     *
     * @param gradScale s of 1)
     * @param decay 1 − lr·λ, or 1 where the parameter does not decay
     * @param oneMinusBeta1 1 − β₁ rounded once from the double (as torch rounds its scalar arguments)
     * @param stepSize lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)
     * @param epsHat ε·√(1 − β₂ᵗ)
     */
    record Coefficients(float gradScale, float decay, float beta1, float oneMinusBeta1, float beta2,
                        float oneMinusBeta2, float stepSize, float epsHat) {
    }

    /** One parameter's arrays (views of the same length) and its coefficients. */
    record Update(FloatBuffer param, FloatBuffer grad, FloatBuffer expAvg, FloatBuffer expAvgSq, Coefficients c) {
    }

    /**
     * A float view of {@code a}'s own storage, or null when there is none: not on the CPU, not f32, or not
     * contiguous. DJL hands out a direct buffer over the tensor's memory only when it is contiguous; for any other
     * array it makes a contiguous copy per call, so two calls that see each other's writes prove the view is the
     * array itself.
     */
    static FloatBuffer hostView(NDArray a) {
        if (!Device.cpu().equals(a.getDevice()) || a.getDataType() != DataType.FLOAT32 || a.size() == 0) {
            return null;
        }
        ByteBuffer first = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (!first.isDirect() || first.capacity() != a.size() * Float.BYTES) {
            return null;
        }
        IntBuffer one = first.asIntBuffer();
        IntBuffer two = a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asIntBuffer();
        int bits = one.get(0);
        one.put(0, ~bits);
        boolean same = two.get(0) == ~bits;
        one.put(0, bits);
        return same ? first.asFloatBuffer() : null;
    }

    /** Applies every update, in parallel over slices of at most {@link #CHUNK} elements. */
    void apply(List<Update> updates) {
        List<Runnable> tasks = new ArrayList<>();
        for (Update u : updates) {
            int n = u.param().capacity();
            for (int from = 0; from < n; from += CHUNK) {
                int lo = from;
                int hi = Math.min(n, from + CHUNK);
                tasks.add(() -> update(u, lo, hi));
            }
        }
        if (pool == null) {
            tasks.forEach(Runnable::run);
        } else {
            pool.submit(() -> tasks.parallelStream().forEach(Runnable::run)).join();
        }
    }

    /** 1) to 5) over elements [from, to) (record fields are trusted finals: the JIT keeps them in registers). */
    private static void update(Update u, int from, int to) {
        Coefficients c = u.c();
        for (int i = from; i < to; i++) {
            float g = u.grad().get(i) * c.gradScale();                                    // 1)
            float m = u.expAvg().get(i) * c.beta1() + c.oneMinusBeta1() * g;              // 3)
            float v = u.expAvgSq().get(i) * c.beta2() + c.oneMinusBeta2() * g * g;        // 4)
            u.expAvg().put(i, m);
            u.expAvgSq().put(i, v);
            float denom = (float) Math.sqrt(v) + c.epsHat();
            u.param().put(i, u.param().get(i) * c.decay() - m / denom * c.stepSize());   // 2) and 5)
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
