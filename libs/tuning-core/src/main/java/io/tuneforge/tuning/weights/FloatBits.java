package io.tuneforge.tuning.weights;

/**
 * Bit-level conversions between f32 and the 16-bit float formats, done in Java because PyTorch's
 * CPU build aborts the JVM on bf16 tensors (djl-verified trap 2).
 *
 * <p>Rounding to 16 bits is round-to-nearest-even, as {@code torch.Tensor.to(torch.bfloat16)} and
 * IEEE 754 half conversion do; NaN stays NaN (quiet).
 */
public final class FloatBits {

    private FloatBits() {
    }

    /** bf16 bits → f32: the 16 bits are the upper half of the f32 pattern. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** f32 → bf16 bits, round to nearest even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN: keep sign and payload top, force quiet
        }
        bits += 0x7fff + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    /** IEEE 754 binary16 bits → f32 (exact). */
    public static float f16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf / NaN
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // ±0
            }
            float v = mant * 0x1p-24f; // subnormal: mant × 2^-24, exact in f32
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** f32 → IEEE 754 binary16 bits, round to nearest even; overflow gives ±inf. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00); // NaN
        }
        if (abs >= 0x477ff000) { // rounds to ≥ 65520 → inf (also inf itself)
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below the smallest normal half (2^-14): subnormal or zero
            float magnitude = Float.intBitsToFloat(abs);
            // Math.rint rounds half to even, exactly what IEEE wants for the 2^-24 grid.
            int m = (int) Math.rint(magnitude * 0x1p24f);
            return (short) (sign | m); // m may reach 0x400, which is the smallest normal: still right
        }
        int exp = (abs >>> 23) - 112;
        int mant = abs & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // carries into the exponent correctly, up to inf
        }
        return (short) (sign | half);
    }
}
