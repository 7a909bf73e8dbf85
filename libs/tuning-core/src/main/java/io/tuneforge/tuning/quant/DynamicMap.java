package io.tuneforge.tuning.quant;

import java.util.Arrays;

/**
 * bitsandbytes' signed 8-bit dynamic quantization map ({@code create_dynamic_map(signed=True,
 * max_exponent_bits=7, total_bits=8)}; Dettmers, "8-Bit Approximations for Parallelism in Deep
 * Learning", 2016), the code QLoRA's double quantization uses for the per-block absmax constants.
 *
 * <p>Construction: for each decade {@code k = 0…6} the {@code 2^k} midpoints of
 * {@code linspace(0.1, 1, 2^k + 1)}, scaled by {@code 10^(k − 6)}, with both signs (254 values),
 * plus 0 and 1; sorted. So the map is dense near zero (down to ±5.5e-7) and has 64 values per sign
 * in the top decade [0.1, 1], where a block's largest entries land. The values are computed here
 * exactly (double) and rounded once to float32; torch's float32 {@code linspace}, which
 * bitsandbytes uses, rounds some of them differently by one ulp, depending on the build.
 *
 * <p>Encoding picks the nearest value (binary search, then the float32 midpoint between the two
 * neighbours; a value exactly on a midpoint takes the lower code), as bitsandbytes' blockwise
 * quantizer does.
 */
public final class DynamicMap {

    /** Number of codes. */
    public static final int SIZE = 256;

    private static final float[] VALUES = build();

    private DynamicMap() {
    }

    private static float[] build() {
        float[] out = new float[SIZE];
        int n = 0;
        for (int k = 0; k < 7; k++) {
            int items = 1 << k;                                     // linspace(0.1, 1, items + 1) has items gaps
            double scale = Math.pow(10, k - 6);
            for (int i = 0; i < items; i++) {
                double left = 0.1 + 0.9 * i / items;
                double right = 0.1 + 0.9 * (i + 1) / items;
                float v = (float) (scale * (left + right) / 2);
                out[n++] = v;
                out[n++] = -v;
            }
        }
        out[n++] = 0f;
        out[n++] = 1f;
        if (n != SIZE) {
            throw new IllegalStateException("dynamic map has " + n + " values, expected " + SIZE);
        }
        Arrays.sort(out);
        return out;
    }

    /** The 256 values, ascending, a copy. */
    public static float[] values() {
        return VALUES.clone();
    }

    /** The value of code {@code code} (0…255). */
    public static float value(int code) {
        return VALUES[code];
    }

    /** The code of the value nearest to {@code x} (x expected in [−1, 1]); NaN maps to the code of 0. */
    public static int encode(float x) {
        if (Float.isNaN(x)) {
            return zeroCode();
        }
        // 1) first index whose value is >= x (or SIZE − 1)
        int lo = 0;
        int hi = SIZE - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (VALUES[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == 0) {
            return 0;
        }
        // 2) between VALUES[lo − 1] < x <= VALUES[lo]: the nearer one, ties to the lower
        float midpoint = (VALUES[lo - 1] + VALUES[lo]) * 0.5f;
        return x > midpoint ? lo : lo - 1;
    }

    /** The code whose value is 0. */
    public static int zeroCode() {
        return Arrays.binarySearch(VALUES, 0f);
    }
}
