package io.tuneforge.tuning.weights;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatBitsTest {

    @Test
    void everyHalfRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = FloatBits.f16ToFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(FloatBits.f16ToFloat(FloatBits.floatToF16(f))));
                continue;
            }
            assertEquals((short) h, FloatBits.floatToF16(f), "half 0x" + Integer.toHexString(h) + " = " + f);
        }
    }

    @Test
    void everyBf16RoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = FloatBits.bf16ToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, FloatBits.floatToBf16(f), "bf16 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-8 lies exactly between bf16 1.0 (even) and 1.0078125 (odd): ties go to even.
        assertEquals(1.0f, FloatBits.bf16ToFloat(FloatBits.floatToBf16(1f + 0x1p-8f)));
        // 1 + 3·2^-8 lies between 1.0078125 (odd) and 1.015625 (even).
        assertEquals(1.015625f, FloatBits.bf16ToFloat(FloatBits.floatToBf16(1f + 3 * 0x1p-8f)));
        assertEquals(1.0f, FloatBits.f16ToFloat(FloatBits.floatToF16(1f + 0x1p-11f)));
        assertEquals(1f + 0x1p-9f, FloatBits.f16ToFloat(FloatBits.floatToF16(1f + 3 * 0x1p-11f)));
        assertEquals(Float.POSITIVE_INFINITY, FloatBits.f16ToFloat(FloatBits.floatToF16(65520f)));
        assertEquals(65504f, FloatBits.f16ToFloat(FloatBits.floatToF16(65519f)));
        assertEquals(0x1p-24f, FloatBits.f16ToFloat(FloatBits.floatToF16(0x1p-24f)));
        assertEquals(0f, FloatBits.f16ToFloat(FloatBits.floatToF16(0x1p-26f)));
        assertEquals(Float.NEGATIVE_INFINITY, FloatBits.bf16ToFloat(FloatBits.floatToBf16(-Float.MAX_VALUE)));
    }
}
