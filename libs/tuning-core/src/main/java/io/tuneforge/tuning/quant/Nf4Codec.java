package io.tuneforge.tuning.quant;

/**
 * Blockwise quantization on Java arrays: NF4 with one absmax per block (QLoRA's base weights) and
 * the dynamic 8-bit code with one absmax per block (QLoRA's double quantization of those absmax
 * values), plus 4-bit packing. {@link Nf4Tensor} keeps the results on the model's device.
 *
 * <p>Layout, as bitsandbytes' {@code quantize_4bit}: the tensor is flattened row-major and cut into
 * blocks of {@code blockSize}; the last block may be shorter. For each block
 * <pre>
 * absmax = max |x|             (f32, exact: one of the block's own values)
 * s      = x · (1 / absmax)    (f32 reciprocal, then f32 product; clamped to [−1, 1])
 * code   = nearest(s)          ({@link NormalFloat4#encode} or {@link DynamicMap#encode})
 * x̂      = value(code) · absmax
 * </pre>
 * A block of zeros has absmax 0 and codes of the value 0 (bitsandbytes divides by zero there and
 * gets a NaN code of another value; both dequantize to 0).
 *
 * <p>4-bit codes are packed two per byte, element {@code 2i} in the high nibble and {@code 2i + 1}
 * in the low one; an odd count is padded with the code of 0.
 */
public final class Nf4Codec {

    private Nf4Codec() {
    }

    /**
     * NF4 codes, packed, and the block absmax values.
     *
     * @param packed (ceil(n / 2)) bytes
     * @param absmax (ceil(n / blockSize)) f32
     */
    public record Nf4Blocks(byte[] packed, float[] absmax) {
    }

    /**
     * One 8-bit code per element and the block absmax values.
     *
     * @param codes (n) bytes, unsigned
     * @param absmax (ceil(n / blockSize)) f32
     */
    public record Int8Blocks(byte[] codes, float[] absmax) {
    }

    /**
     * Quantizes to NF4.
     *
     * @throws IllegalArgumentException when a value is NaN or infinite (naming its index) or the block size is bad
     */
    public static Nf4Blocks quantizeNf4(float[] x, int blockSize) {
        checkBlockSize(blockSize);
        float[] absmax = absmax(x, blockSize);
        int[] codes = new int[x.length];
        for (int b = 0; b < absmax.length; b++) {
            float inverse = 1.0f / absmax[b];
            int end = Math.min(x.length, (b + 1) * blockSize);
            for (int i = b * blockSize; i < end; i++) {
                codes[i] = absmax[b] == 0f ? NormalFloat4.ZERO_CODE : NormalFloat4.encode(clamp(x[i] * inverse));
            }
        }
        return new Nf4Blocks(pack(codes), absmax);
    }

    /**
     * Quantizes to the dynamic 8-bit map (the absmax constants of double quantization).
     *
     * @throws IllegalArgumentException when a value is NaN or infinite or the block size is bad
     */
    public static Int8Blocks quantizeDynamic8(float[] x, int blockSize) {
        checkBlockSize(blockSize);
        float[] absmax = absmax(x, blockSize);
        byte[] codes = new byte[x.length];
        int zero = DynamicMap.zeroCode();
        for (int b = 0; b < absmax.length; b++) {
            float inverse = 1.0f / absmax[b];
            int end = Math.min(x.length, (b + 1) * blockSize);
            for (int i = b * blockSize; i < end; i++) {
                codes[i] = (byte) (absmax[b] == 0f ? zero : DynamicMap.encode(clamp(x[i] * inverse)));
            }
        }
        return new Int8Blocks(codes, absmax);
    }

    /** {@code value(code) · absmax} for n NF4 values. */
    public static float[] dequantizeNf4(byte[] packed, float[] absmax, int n, int blockSize) {
        checkBlockSize(blockSize);
        int[] codes = unpack(packed, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = NormalFloat4.value(codes[i]) * absmax[i / blockSize];
        }
        return out;
    }

    /** {@code value(code) · absmax} for 8-bit dynamic codes. */
    public static float[] dequantizeDynamic8(byte[] codes, float[] absmax, int blockSize) {
        checkBlockSize(blockSize);
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = DynamicMap.value(codes[i] & 0xff) * absmax[i / blockSize];
        }
        return out;
    }

    /** Per-block max |x| (the last block may be shorter). */
    public static float[] absmax(float[] x, int blockSize) {
        checkBlockSize(blockSize);
        float[] out = new float[blocks(x.length, blockSize)];
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("cannot quantize: element " + i + " is " + v
                        + "; every value must be finite");
            }
            int b = i / blockSize;
            out[b] = Math.max(out[b], Math.abs(v));
        }
        return out;
    }

    /** Two 4-bit codes per byte, the first in the high nibble; an odd count is padded with the code of 0. */
    public static byte[] pack(int[] codes) {
        byte[] out = new byte[(codes.length + 1) / 2];
        for (int i = 0; i < codes.length; i++) {
            int c = codes[i];
            if (c < 0 || c > 15) {
                throw new IllegalArgumentException("code " + c + " at " + i + " is not a 4-bit code (0…15)");
            }
            out[i / 2] |= (byte) (i % 2 == 0 ? c << 4 : c);
        }
        if (codes.length % 2 == 1) {
            out[out.length - 1] |= (byte) NormalFloat4.ZERO_CODE;
        }
        return out;
    }

    /** The first {@code n} 4-bit codes of packed bytes. */
    public static int[] unpack(byte[] packed, int n) {
        if (packed.length != (n + 1) / 2) {
            throw new IllegalArgumentException(packed.length + " packed bytes hold " + 2 * packed.length
                    + " codes, but " + n + " need " + (n + 1) / 2 + " bytes");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int b = packed[i / 2] & 0xff;
            out[i] = i % 2 == 0 ? b >>> 4 : b & 15;
        }
        return out;
    }

    /** Number of blocks of {@code blockSize} covering {@code n} elements. */
    public static int blocks(long n, int blockSize) {
        return Math.toIntExact((n + blockSize - 1) / blockSize);
    }

    private static float clamp(float s) {
        return Math.max(-1f, Math.min(1f, s));
    }

    private static void checkBlockSize(int blockSize) {
        if (blockSize < 2 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize = " + blockSize + " must be a power of two >= 2 (QLoRA uses 64)");
        }
    }
}
