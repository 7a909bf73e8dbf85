package io.tuneforge.tuning.export.gguf;

import io.tuneforge.tuning.weights.FloatBits;

import java.nio.ByteBuffer;

/**
 * Encodes floats into GGUF tensor data and decodes them back, following ggml's reference
 * ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}, {@code dequantize_row_*}).
 *
 * <p>Error bounds per element (x the input, d the stored f16 scale of its block):
 * <ul>
 *   <li>F32: exact.</li>
 *   <li>F16: round to nearest even, |x − x̂| ≤ 2^-11·|x| for normal halves, ≤ 2^-25 below 2^-14.</li>
 *   <li>Q8_0: d = max|x|/127 rounded to f16, q = round-half-away(x·127/max|x|):
 *       |x − q·d| ≤ d/2 + 127·|d₃₂ − d| ≤ d·(1/2 + 127·2^-11) ≈ 0.562·d.</li>
 *   <li>Q4_0: d = −x_max/8 (x_max the element of largest magnitude, sign kept), q = min(15, trunc(x/d + 8.5)):
 *       |x − (q − 8)·d| ≤ |d|/2 + 8·|d₃₂ − d| (≈ 0.504·|d|), except at the clamped end (an element near
 *       −x_max would need q = 16) where it is ≤ |d| + 8·|d₃₂ − d|.</li>
 * </ul>
 * All buffers are little-endian; callers pass them positioned where the data starts.
 */
public final class GgufCodec {

    static final int QK = 32;

    private GgufCodec() {
    }

    /** Appends {@code n} values from {@code src[from..]} to {@code out} in {@code type}; n must fill whole blocks. */
    public static void encode(GgufType type, float[] src, int from, int n, ByteBuffer out) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out.putFloat(src[from + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out.putShort(FloatBits.floatToF16(src[from + i]));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < n; b += QK) {
                    encodeQ8Block(src, from + b, out);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < n; b += QK) {
                    encodeQ4Block(src, from + b, out);
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static void encodeQ8Block(float[] x, int at, ByteBuffer out) {
        float amax = 0;
        for (int j = 0; j < QK; j++) {
            amax = Math.max(amax, Math.abs(x[at + j]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(FloatBits.floatToF16(d));
        for (int j = 0; j < QK; j++) {
            float v = x[at + j] * id;
            // roundf: half away from zero (Math.round would round -2.5 to -2)
            double r = Math.floor(Math.abs((double) v) + 0.5);
            out.put((byte) (v < 0 ? -r : r));
        }
    }

    private static void encodeQ4Block(float[] x, int at, ByteBuffer out) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < QK; j++) {
            float v = x[at + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(FloatBits.floatToF16(d));
        for (int j = 0; j < QK / 2; j++) {
            int lo = Math.min(15, (byte) (int) (x[at + j] * id + 8.5f));
            int hi = Math.min(15, (byte) (int) (x[at + QK / 2 + j] * id + 8.5f));
            out.put((byte) (lo | (hi << 4)));
        }
    }

    /** Decodes {@code n} elements of {@code type} from {@code in} into {@code dst[from..]}. */
    public static void decode(GgufType type, ByteBuffer in, float[] dst, int from, int n) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    dst[from + i] = in.getFloat();
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[from + i] = FloatBits.f16ToFloat(in.getShort());
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < n; b += QK) {
                    float d = FloatBits.f16ToFloat(in.getShort());
                    for (int j = 0; j < QK; j++) {
                        dst[from + b + j] = in.get() * d;
                    }
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < n; b += QK) {
                    float d = FloatBits.f16ToFloat(in.getShort());
                    for (int j = 0; j < QK / 2; j++) {
                        int q = in.get() & 0xff;
                        dst[from + b + j] = ((q & 0x0f) - 8) * d;
                        dst[from + b + QK / 2 + j] = ((q >>> 4) - 8) * d;
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }
}
