package io.tuneforge.tuning.quant;

/**
 * The 4-bit NormalFloat code book of QLoRA (Dettmers et al., 2023, "QLoRA: Efficient Finetuning of
 * Quantized LLMs", §3) as bitsandbytes ships it ({@code get_4bit_type('nf4')}).
 *
 * <p>Construction (bitsandbytes {@code create_normal_map(offset=0.9677083, use_extra_value=True)}):
 * <ol>
 *   <li>8 positive values {@code Φ⁻¹(q)} for q = linspace(0.9677083, 0.5, 9) without its last point;</li>
 *   <li>7 negative values {@code −Φ⁻¹(q)} for q = linspace(0.9677083, 0.5, 8) without its last point;</li>
 *   <li>an exact zero, then all 16 sorted and divided by the largest, so the book spans [−1, 1].</li>
 * </ol>
 * Each bin then holds about the same mass of a standard normal, which is what pretrained weights
 * look like after dividing a block by its absolute maximum. The values below are bitsandbytes'
 * published float32 table; {@code src/test/python/nf4_reference.py} rebuilds them from the
 * construction and the test compares.
 *
 * <p>Encoding picks the nearest value by comparing against the 15 midpoints between neighbours:
 * {@code x > midpoint} goes up, so a value exactly on a midpoint takes the lower code — the
 * decision tree of bitsandbytes' {@code dQuantizeNF4} kernel, whose thresholds are these
 * midpoints rounded to float32.
 */
public final class NormalFloat4 {

    /** Number of codes. */
    public static final int SIZE = 16;

    /** The code of the exact zero (used for padding and all-zero blocks). */
    public static final int ZERO_CODE = 7;

    private static final float[] VALUES = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    };

    /** thresholds[i] = (value[i] + value[i + 1]) / 2, computed in double, rounded to float32. */
    private static final float[] THRESHOLDS = new float[SIZE - 1];

    static {
        for (int i = 0; i < SIZE - 1; i++) {
            THRESHOLDS[i] = (float) (((double) VALUES[i] + VALUES[i + 1]) / 2.0);
        }
    }

    private NormalFloat4() {
    }

    /** The 16 values, ascending, a copy. */
    public static float[] values() {
        return VALUES.clone();
    }

    /** The value of code {@code code} (0…15). */
    public static float value(int code) {
        return VALUES[code];
    }

    /** The 15 decision thresholds between neighbouring codes, ascending, a copy. */
    public static float[] thresholds() {
        return THRESHOLDS.clone();
    }

    /**
     * The code of the value nearest to {@code x} (x is expected in [−1, 1]; anything outside maps
     * to the end codes). NaN maps to {@link #ZERO_CODE}.
     */
    public static int encode(float x) {
        if (Float.isNaN(x)) {
            return ZERO_CODE;
        }
        // Binary search over the thresholds: the number of thresholds strictly below x.
        int lo = 0;
        int hi = SIZE - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x > THRESHOLDS[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The dequantization table for packed bytes: row {@code b} holds the values of the byte's
     * two codes, {@code [value(b >> 4), value(b & 15)]} — the first element is in the high nibble,
     * as bitsandbytes packs. Row-major (256, 2).
     */
    public static float[] pairTable() {
        float[] table = new float[256 * 2];
        for (int b = 0; b < 256; b++) {
            table[2 * b] = VALUES[b >> 4];
            table[2 * b + 1] = VALUES[b & 15];
        }
        return table;
    }
}
