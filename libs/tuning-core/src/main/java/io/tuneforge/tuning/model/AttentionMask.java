package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Position ids and the attention mask of one forward call, both derived from the token mask
 * (1 = token, 0 = padding) and the cache.
 *
 * <pre>
 * position[b, t] = seen[b] + cumsum(mask[b])[t] − 1     (0 on padding; seen = real tokens in the cache)
 * allowed[b, t, j] = keyMask[b, j] ∧ j ≤ P + t ∧ (P + t − j &lt; window)   (slots j &lt; S = P + T)
 * </pre>
 *
 * so left padding shifts nothing: a row's first real token has position 0 whatever precedes it.
 * Query rows that are padding see only padding; their outputs are meaningless and finite.
 *
 * <p>One-token steps with a cache (decoding) take a short path: the position of a real token is its
 * row's seen count (the formula above with T = 1), used as the cache holds it, and the mask is a view
 * of the cache's key bias over the slots [0, P + 1) ({@link KvCache#decodeBias}; every one of them is
 * at or before the query), so a step builds no mask at all; while no slot is padding or out of the window there
 * is no mask (null bias), and the layers add none.
 * A padding token of such a step gets its row's seen count as position instead of 0; its slot is
 * masked for every query, so nothing reads it.
 */
final class AttentionMask {

    final NDArray positionIds; // (B, T) int64
    private final NDArray allowed;   // (B, 1, T, S) boolean, or null on the decode path
    private final NDArray keyBias;   // (B, 1, 1, S) f32 view of the cache's key bias on the decode path, else null
                                     // (also on the decode path while no slot needs masking)

    private AttentionMask(NDArray positionIds, NDArray allowed, NDArray keyBias) {
        this.positionIds = positionIds;
        this.allowed = allowed;
        this.keyBias = keyBias;
    }

    /**
     * The same positions with attention limited to keys of the query's own segment (packed
     * sequences): {@code allowed[b, t, j] ∧= segment[b, t] == segment[b, j]} — block-diagonal
     * causal. Without a cache, so keys and queries are the same T slots.
     *
     * @param segmentIds (B, T) int64, owned by the step manager
     */
    AttentionMask withinSegments(NDArray segmentIds) {
        NDArray same = segmentIds.expandDims(2).eq(segmentIds.expandDims(1));                        // (B, T, T)
        return new AttentionMask(positionIds, allowed.logicalAnd(same.expandDims(1)), null);         // (B, 1, T, T)
    }

    /**
     * The mask as an additive f32 bias, (B, 1, T, S): 0 where allowed, {@code -Float.MAX_VALUE} (the
     * most negative finite value, so a row with no visible key soft-maxes to a uniform row instead of NaN) where
     * not. Adding it to f32 scores is exact where 0 and saturates at the same value where not (|score| is far
     * below half an ulp of 3.4e38), so softmax sees what a {@code where(allowed, scores, lowest)} would give.
     * On the decode path it is a view of the cache's key bias, (B, 1, 1, S), or null while no slot is padding or
     * out of the window ({@link KvCache#decodeBias}): nothing to add.
     */
    NDArray bias(NDManager step) {
        if (allowed == null) {
            return keyBias;
        }
        // (allowed − 1) · MAX: 1 → 0 and 0 → −MAX, both exact (no gradient flows here, so number arguments are safe)
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(Float.MAX_VALUE);                  // (B, 1, T, S)
    }

    /**
     * @param step manager of this forward call
     * @param tokenMask (B, T) int64, 1 = token, 0 = padding, owned by {@code step} (or the cache's all-ones array)
     * @param allTokens whether the caller passed no mask, so every token is real
     * @param cache past tokens, or null; its key bias records the new tokens' mask here
     * @param window sliding attention window, or null
     */
    static AttentionMask of(NDManager step, NDArray tokenMask, boolean allTokens, KvCache cache, Integer window) {
        Shape s = tokenMask.getShape();
        long batch = s.get(0);
        long t = s.get(1);
        int past = cache == null ? 0 : cache.length();
        if (cache != null) {
            cache.writeMask(tokenMask, allTokens, step);
            if (t == 1) {
                NDArray positions = cache.seen().reshape(batch, 1);                                 // (B, 1) a view
                positions.attach(step);
                return new AttentionMask(positions, null, cache.decodeBias(window, step));
            }
        }
        long total = past + t;
        NDArray seen = cache == null ? step.zeros(new Shape(batch, 1), DataType.INT64) : cache.seen(); // (B, 1)
        NDArray positions = tokenMask.cumSum(1).add(seen).sub(1).mul(tokenMask);                      // (B, T)
        NDArray newKeys = tokenMask.eq(1);                                                            // (B, T)
        NDArray keyMask = past == 0 ? newKeys : cache.pastMask(step).concat(newKeys, 1);              // (B, S)
        NDArray query = step.arange(past, (int) total, 1, DataType.INT64).reshape(t, 1);             // (T, 1)
        NDArray key = step.arange(0, (int) total, 1, DataType.INT64).reshape(1, total);              // (1, S)
        NDArray visible = key.lte(query);                                                             // (T, S)
        if (window != null) {
            visible = visible.logicalAnd(query.sub(key).lt(window));                                  // (T, S)
        }
        NDArray allowed = visible.expandDims(0).logicalAnd(keyMask.expandDims(1));                   // (B, T, S)
        return new AttentionMask(positions, allowed.expandDims(1), null);                            // (B, 1, T, S)
    }
}
