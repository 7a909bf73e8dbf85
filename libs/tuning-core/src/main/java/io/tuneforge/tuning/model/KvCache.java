package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of past tokens, so decoding one token costs one token's work.
 *
 * <p>Per layer a buffer (B, nKv, C, hd) is allocated once; each {@link LlamaModel#forward}
 * writes its T new (already rotated) keys and values at slots [length, length + T). Alongside, the
 * cache keeps an additive f32 key bias (B, 1, 1, C) — 0 for a slot that holds a real token,
 * {@code -Float.MAX_VALUE} for padding — and how many real tokens each row has seen (the next
 * position id). Inference only: buffers are written in place.
 *
 * <p>Every call attends over the written slots [0, length + T), taken as views by one native slice each
 * (no index objects). Decoding one token (T = 1) needs no mask building at all: the view of the key
 * bias is the mask, as every written slot is at or before the query (causal by construction). A step
 * writes one bias slot, one key and one value per layer, and adds the token mask to the seen counts:
 * no reduction, no host round trip. Calls with T &gt; 1 (prefill) get the causal mask
 * {@link AttentionMask} builds.
 *
 * <p>Until a caller passes a token mask (which may hold padding; {@link LlamaModel#forward} with a null mask means
 * every token is real), the key bias is not written at all and a one-token step needs no mask: every slot is real
 * and causal. The first token mask, or a sliding window that starts dropping slots, writes 0 over the slots filled
 * so far (one call), and from then on the bias is kept.
 *
 * <p>Owns a sub-manager of the model's manager; close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;    // L × (B, nKv, C, hd)
    private final NDArray[] values;  // L × (B, nKv, C, hd)
    private final NDArray keyBias;   // (B, 1, 1, C) f32: 0 = real token, −MAX = padding or not written yet
    private final NDArray slotBias;  // (2) f32: [−MAX, 0], the bias of a token mask value 0 / 1
    private final NDArray seen;      // (B, 1) int64, real tokens so far per row
    private final NDArray allTokens; // (B, 1) int64 ones: the token mask of a step without padding
    private boolean padded;          // whether keyBias is kept: set once a token mask (maybe with padding) is written
    private final int batchSize;
    private final int capacity;
    private int length;

    KvCache(NDManager modelManager, ModelConfig config, DataType dtype, int batchSize, int capacity) {
        if (batchSize <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("KvCache needs batchSize > 0 and maxLength > 0; got batchSize="
                    + batchSize + ", maxLength=" + capacity);
        }
        this.manager = modelManager.newSubManager();
        this.batchSize = batchSize;
        this.capacity = capacity;
        int layers = config.numHiddenLayers();
        Shape shape = new Shape(batchSize, config.numKeyValueHeads(), capacity, config.headDim());
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape, dtype);
            values[l] = manager.zeros(shape, dtype);
        }
        this.keyBias = manager.full(new Shape(batchSize, 1, 1, capacity), -Float.MAX_VALUE, DataType.FLOAT32);
        this.slotBias = manager.create(new float[] {-Float.MAX_VALUE, 0f});
        this.seen = manager.zeros(new Shape(batchSize, 1), DataType.INT64);
        this.allTokens = manager.ones(new Shape(batchSize, 1), DataType.INT64);
    }

    /** Slots filled so far (padding included). */
    public int length() {
        return length;
    }

    /** Slots available in total ({@code maxLength} of {@link LlamaModel#newCache}). */
    public int capacity() {
        return capacity;
    }

    /** Rows (B). */
    public int batchSize() {
        return batchSize;
    }

    /** Real (unpadded) tokens seen per row, as a Java array. */
    public long[] seenTokens() {
        return seen.toLongArray();
    }

    void checkFits(long batch, long newTokens) {
        if (batch != batchSize) {
            throw new IllegalArgumentException("inputIds have batch size " + batch + " but the KvCache was made for "
                    + batchSize + " rows");
        }
        if (length + newTokens > capacity) {
            throw new IllegalArgumentException("KvCache holds " + length + " of " + capacity + " slots and forward"
                    + " adds " + newTokens + "; create the cache with newCache(" + batchSize + ", >= "
                    + (length + newTokens) + ")");
        }
    }

    /** Real tokens seen per row, (B, 1) int64 (the cache's own array; do not close). */
    NDArray seen() {
        return seen;
    }

    /**
     * Which of the filled slots [0, length) hold real tokens, (B, length) boolean, owned by {@code step}
     * (for calls with T &gt; 1; see {@link AttentionMask}).
     */
    NDArray pastMask(NDManager step) {
        if (!padded) {
            return step.ones(new Shape(batchSize, length), DataType.BOOLEAN);                  // (B, P) all real
        }
        return slots(keyBias, 3, length, step).reshape(batchSize, length).eq(0f);               // (B, P)
    }

    /**
     * Records the new tokens' mask in the key bias, slots [length, length + T): 0 for a token, −MAX for
     * padding. Called before the layers run, so the new tokens see themselves.
     *
     * @param tokenMask (B, T) int64, 1 = token, 0 = padding, owned by {@code step}
     * @param allTokens whether the caller passed no mask (every token real): then nothing is written until the
     *     bias is kept ({@link #keepBias})
     */
    void writeMask(NDArray tokenMask, boolean allTokens, NDManager step) {
        long t = tokenMask.getShape().get(1);
        if (allTokens && !padded) {
            return;
        }
        keepBias(length);
        NDArray bias = slotBias.take(step, tokenMask).reshape(batchSize, 1, 1, t);              // (B, 1, 1, T) f32
        keyBias.set(new NDIndex().addAllDim(3).addSliceDim(length, length + t), bias);
    }

    /**
     * The additive key bias of a one-token step at slot {@code length}, (B, 1, 1, length + 1), a view owned by
     * {@code step}, or null while no slot is padding or out of the window (nothing to mask). With a sliding window, slots that fell out of the window (j ≤ length − window) are set to
     * −MAX first; they stay out for every later query.
     */
    NDArray decodeBias(Integer window, NDManager step) {
        boolean sliding = window != null && length >= window;
        if (!padded && !sliding) {
            return null;
        }
        keepBias(length + 1L); // this step's token is real: its mask was not written (all tokens, not kept yet)
        if (sliding) {
            keyBias.set(new NDIndex().addAllDim(3).addSliceDim(0, length - window + 1L), -Float.MAX_VALUE);
        }
        return slots(keyBias, 3, length + 1L, step);
    }

    /** From the first token mask or window on: 0 over the slots [0, end) (all real until then), once. */
    private void keepBias(long end) {
        if (!padded && end > 0) {
            keyBias.set(new NDIndex().addAllDim(3).addSliceDim(0, end), 0f);
        }
        padded = true;
    }

    /** (B, 1) int64 ones, the token mask of a one-token step without padding (the cache's own array; do not close). */
    NDArray allTokens() {
        return allTokens;
    }

    /**
     * Writes one layer's new keys/values at slots [length, length + T) and returns views of slots
     * [0, length + T), owned by {@code step}.
     *
     * @param k (B, nKv, T, hd), rotated
     * @param v (B, nKv, T, hd)
     * @return [keys, values], each (B, nKv, length + T, hd)
     */
    NDList append(int layer, NDArray k, NDArray v, NDManager step) {
        long t = k.getShape().get(2);
        NDIndex written = new NDIndex().addAllDim(2).addSliceDim(length, length + t);
        keys[layer].set(written, k);
        values[layer].set(written, v);
        return new NDList(slots(keys[layer], 2, length + t, step), slots(values[layer], 2, length + t, step));
    }

    /** {@code a[..., 0:end]} along {@code dim}: a view made by one native call, owned by {@code step}. */
    private static NDArray slots(NDArray a, int dim, long end, NDManager step) {
        NDArray view = JniUtils.slice((PtNDArray) a, dim, 0, end, 1);
        view.attach(step);
        return view;
    }

    /** Counts the new tokens once every layer has appended, and moves past them. */
    void advance(NDArray tokenMask) {
        long t = tokenMask.getShape().get(1);
        if (t == 1) {
            seen.addi(tokenMask);                                                               // (B, 1)
        } else {
            try (NDArray counts = tokenMask.sum(new int[] {1}, true)) {                         // (B, 1)
                seen.addi(counts);
            }
        }
        length += (int) t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
