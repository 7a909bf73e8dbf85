package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of past tokens, so decoding one token costs one token's work.
 *
 * <p>Per layer a buffer (B, nKv, capacity, hd) is allocated once; each {@link LlamaModel#forward}
 * writes its T new (already rotated) keys and values at slots [length, length + T) and attends over
 * slots [0, length + T). Alongside, the cache remembers which slots hold real tokens (the attention
 * mask of everything seen, so left padding stays masked while decoding) and how many real tokens
 * each row has seen (the next position id). Inference only: buffers are written in place.
 *
 * <p>Owns a sub-manager of the model's manager; close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;    // L × (B, nKv, C, hd)
    private final NDArray[] values;  // L × (B, nKv, C, hd)
    private final NDArray keyMask;   // (B, C) int64, 1 = real token
    private final NDArray seen;      // (B, 1) int64, real tokens so far per row
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
        this.keyMask = manager.zeros(new Shape(batchSize, capacity), DataType.INT64);
        this.seen = manager.zeros(new Shape(batchSize, 1), DataType.INT64);
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

    /** Mask of the filled slots, (B, length) int64, as a view owned by {@code step}. */
    NDArray pastMask(NDManager step) {
        return keyMask.get(step, new NDIndex(":, :{}", length));
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
        NDIndex slots = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(slots, k);
        values[layer].set(slots, v);
        NDIndex filled = new NDIndex(":, :, :{}", length + t);
        return new NDList(keys[layer].get(step, filled), values[layer].get(step, filled));
    }

    /** Records the new tokens' mask once every layer has appended, and moves past them. */
    void advance(NDArray tokenMask) {
        long t = tokenMask.getShape().get(1);
        keyMask.set(new NDIndex(":, {}:{}", length, length + t), tokenMask);
        try (NDArray counts = tokenMask.sum(new int[] {1}, true)) { // (B, 1)
            seen.addi(counts);
        }
        length += (int) t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
