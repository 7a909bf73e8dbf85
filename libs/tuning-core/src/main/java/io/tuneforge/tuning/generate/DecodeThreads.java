package io.tuneforge.tuning.generate;

import ai.djl.pytorch.jni.JniUtils;
import io.tuneforge.tuning.model.LlamaModel;

/**
 * How many intra-op threads libtorch uses for the one-token decode steps on the CPU (the prefill keeps the
 * engine's setting), as llama.cpp separates {@code --threads} from {@code --threads-batch}.
 *
 * <p>Why: a decode step of a small model is hundreds of tiny ops, and some of libtorch's CPU kernels split any
 * size across the OpenMP pool (softmax with grain 0, batched matmul over its batch dimension): each such op wakes
 * the sleeping second thread ({@code OMP_WAIT_POLICY=PASSIVE}), 50–150 µs, far more than the op's work. Measured on
 * the 2-core machine (tiny model, hidden 64: a 2-thread step 1.2 ms, 1 thread 0.7–0.9 ms; attention matmul
 * 15–40 µs alone vs 66–165 µs with 2 threads; softmax 14 vs 69 µs).
 *
 * <p>{@link #AUTO}: one thread when hidden size × rows ≤ {@value #SMALL_STEP}, i.e. when a projection of the step
 * is at most ~256 × 256 multiply-adds per output row — too little to pay for a wake-up on any machine; else the
 * engine's setting. Larger models are left alone: their decode is memory-bound and gains from threads on machines
 * with more cores (on this loaded 2-core machine even the ~100M model decoded faster with one thread; set it
 * explicitly there). Device (GPU) models are never changed.
 *
 * <p>{@code at::set_num_threads} sets the calling thread's OpenMP pool size and the default for threads that start
 * using libtorch afterwards; {@link #enter}/{@link #exit} restore the previous value when decoding ends.
 */
public final class DecodeThreads {

    /** Choose per batch ({@link #choose}). */
    public static final int AUTO = -1;
    /** Leave the engine's setting. */
    public static final int ENGINE = 0;
    /** Largest hidden size × rows decoded with one thread under {@link #AUTO}. */
    public static final int SMALL_STEP = 256;

    private DecodeThreads() {
    }

    /** The intra-op threads for decoding {@code rows} rows: {@code setting} if explicit, else the AUTO rule. */
    public static int choose(int setting, LlamaModel model, int rows) {
        if (setting != AUTO || model.device().isGpu()) {
            return setting == AUTO ? ENGINE : setting;
        }
        return (long) model.config().hiddenSize() * rows <= SMALL_STEP ? 1 : ENGINE;
    }

    /** Switches to {@code threads} (ENGINE or the current count: no change); returns what {@link #exit} restores. */
    public static int enter(int threads) {
        if (threads <= ENGINE) {
            return ENGINE;
        }
        int before = JniUtils.getNumThreads();
        if (before == threads) {
            return ENGINE;
        }
        JniUtils.setNumThreads(threads);
        return before;
    }

    /** Restores the thread count {@link #enter} returned (ENGINE: nothing to restore). */
    public static void exit(int before) {
        if (before > ENGINE) {
            JniUtils.setNumThreads(before);
        }
    }
}
