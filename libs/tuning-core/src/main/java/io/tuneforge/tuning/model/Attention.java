package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;


/**
 * Causal grouped-query self-attention (Ainslie et al. 2023) with rotary positions.
 *
 * <p>nH query heads share nKv key/value heads, query head h reading key/value head h / (nH/nKv) —
 * the same pairing as Hugging Face's {@code repeat_kv}. Instead of copying keys and values nH/nKv
 * times, queries are grouped as (B, nKv, rep·T, hd) and multiplied against the shared keys.
 * Scores are scaled by 1/√hd, masked by adding {@link AttentionMask#bias} (0 where a key is visible,
 * the most negative finite f32 where not; built once per forward and shared by every layer, so a
 * layer's mask is one add, and its backward passes the gradient through), soft-maxed in f32.
 *
 * <p>While q/k/v are dense (or LoRA around dense) they run as one product ({@link FusedProjection}): one
 * {@code linear} to (B, T, (nH+2nKv)·hd), one reshape/transpose to heads, and rotary applied once to the
 * nH + nKv query and key heads together ({@link RotaryEmbedding#apply} is per head).
 *
 * <p>Shape letters: B batch, T new tokens, S attended slots (cache + new), D hidden, nH/nKv heads,
 * hd head width, rep = nH / nKv.
 */
public final class Attention {

    private LinearLayer q; // D → nH·hd
    private LinearLayer k; // D → nKv·hd
    private LinearLayer v; // D → nKv·hd
    private LinearLayer o; // nH·hd → D
    private final FusedProjection qkv; // D → (nH + 2·nKv)·hd over q/k/v's shared weight
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final NDArray scale;     // () compute dtype: 1/√hd

    Attention(ModelConfig config, FusedProjection qkv, LinearLayer o, NDManager constants, DataType computeType) {
        this.qkv = qkv;
        this.q = qkv.member(0);
        this.k = qkv.member(1);
        this.v = qkv.member(2);
        this.o = o;
        this.numHeads = config.numAttentionHeads();
        this.numKvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        this.scale = constant(constants, (float) (1.0 / Math.sqrt(headDim)), computeType);
    }

    private static NDArray constant(NDManager manager, float value, DataType type) {
        NDArray f32 = manager.create(value);
        if (type == DataType.FLOAT32) {
            return f32;
        }
        NDArray converted = f32.toType(type, false);
        f32.close();
        return converted;
    }

    /**
     * @param x (B, T, D)
     * @param rope rotary tables
     * @param cos (B, 1, T, hd)
     * @param sin (B, 1, T, hd)
     * @param maskBias (B, 1, T, S) f32, 0 where attending is allowed and the lowest finite value where not
     *     ({@link AttentionMask#bias}), or null when nothing is masked (a one-token step without padding)
     * @param cache past keys/values, or null
     * @param layer this layer's index in the cache
     * @return (B, T, D)
     */
    public NDArray forward(NDArray x, RotaryEmbedding rope, NDArray cos, NDArray sin, NDArray maskBias,
                           KvCache cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int rep = numHeads / numKvHeads;
        NDArray qh;
        NDArray kh;
        NDArray vh;
        NDArray fused = qkv.forward(x, q, k, v);                                             // (B, T, (nH+2nKv)·hd)
        if (fused != null) {
            // one product, one head split, and rotary once over the query and key heads together
            NDList qkAndV = fused.reshape(b, t, numHeads + 2L * numKvHeads, headDim).transpose(0, 2, 1, 3)
                    .split(new long[] {numHeads + numKvHeads}, 1);                          // (B, nH+nKv, T, hd), (B, nKv, T, hd)
            NDList qAndK = rope.apply(qkAndV.get(0), cos, sin).split(new long[] {numHeads}, 1);
            qh = qAndK.get(0);                                                               // (B, nH, T, hd)
            kh = qAndK.get(1);                                                               // (B, nKv, T, hd)
            vh = qkAndV.get(1);                                                              // (B, nKv, T, hd)
        } else {
            qh = q.forward(x).reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);       // (B, nH, T, hd)
            kh = k.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);     // (B, nKv, T, hd)
            vh = v.forward(x).reshape(b, t, numKvHeads, headDim).transpose(0, 2, 1, 3);     // (B, nKv, T, hd)
            qh = rope.apply(qh, cos, sin);
            kh = rope.apply(kh, cos, sin);
        }
        if (cache != null) {
            NDList kv = cache.append(layer, kh, vh, x.getManager());
            kh = kv.get(0);                                                                   // (B, nKv, S, hd)
            vh = kv.get(1);                                                                   // (B, nKv, S, hd)
        }
        long s = kh.getShape().get(2);
        NDArray grouped = qh.reshape(b, numKvHeads, rep * t, headDim);                       // (B, nKv, rep·T, hd)
        NDArray scores = grouped.matMul(kh.transpose(0, 1, 3, 2)).mul(scale);                // (B, nKv, rep·T, S)
        if (t == 1) {
            // one query per head: the (B, 1, 1, S) bias broadcasts over the grouped scores as they are, and the
            // context's head axis moves no data past a size-1 T, so (B, nKv, rep, hd) is (B, 1, nH·hd) as laid out
            NDArray context = maskedSoftmax(scores, maskBias).matMul(vh);                    // (B, nKv, rep, hd)
            return o.forward(context.reshape(b, 1, (long) numHeads * headDim));              // (B, 1, D)
        }
        NDArray probs = maskedSoftmax(scores.reshape(b, numHeads, t, s), maskBias);          // (B, nH, T, S)
        NDArray context = probs.reshape(b, numKvHeads, rep * t, s).matMul(vh);               // (B, nKv, rep·T, hd)
        context = context.reshape(b, numHeads, t, headDim).transpose(0, 2, 1, 3)
                .reshape(b, t, (long) numHeads * headDim);                                  // (B, T, nH·hd)
        return o.forward(context);                                                           // (B, T, D)
    }

    /**
     * softmax(scores + bias) over the keys, in f32 (the bias's most negative value cannot overflow there); a null
     * bias (nothing masked) is not added.
     */
    private static NDArray maskedSoftmax(NDArray scores, NDArray maskBias) {
        boolean f32 = scores.getDataType() == DataType.FLOAT32;
        NDArray x = f32 ? scores : scores.toType(DataType.FLOAT32, false);
        NDArray probs = (maskBias == null ? x : x.add(maskBias)).softmax(3);
        return f32 ? probs : probs.toType(scores.getDataType(), false);
    }

    /** q/k/v's fused execution. */
    FusedProjection fusedQkv() {
        return qkv;
    }

    /** The projection {@code p} (one of q/k/v/o). */
    public LinearLayer projection(Projection p) {
        switch (p) {
            case Q_PROJ:
                return q;
            case K_PROJ:
                return k;
            case V_PROJ:
                return v;
            case O_PROJ:
                return o;
            default:
                throw new IllegalArgumentException(p + " is not an attention projection; use q/k/v/o_proj");
        }
    }

    /** Replaces one projection (same in/out features), e.g. with a LoRA wrapper. */
    public void setProjection(Projection p, LinearLayer layer) {
        LinearLayer old = projection(p);
        Projection.checkReplacement(p, old, layer);
        switch (p) {
            case Q_PROJ:
                q = layer;
                break;
            case K_PROJ:
                k = layer;
                break;
            case V_PROJ:
                v = layer;
                break;
            default:
                o = layer;
                break;
        }
    }
}
