package io.tuneforge.tuning.quant;

import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NF4 code book against bitsandbytes' published table, its construction and its kernel's thresholds. */
class NormalFloat4Test {

    @Test
    void codeBookIsBitsandbytesPublishedTableAndTheConstructionGivesIt() {
        try (SafetensorsReader golden = SafetensorsReader.open(QuantTesting.golden())) {
            float[] published = QuantTesting.floats(golden, "nf4_code");
            assertArrayEquals(published, NormalFloat4.values(), 0f, "NF4 values must equal get_4bit_type('nf4')");
            // the paper's construction (normal quantiles, offset 0.9677083) in float64, see nf4_reference.py
            float[] constructed = QuantTesting.floats(golden, "nf4_constructed");
            double diff = QuantTesting.maxAbsDiff(constructed, NormalFloat4.values());
            assertTrue(diff < 1e-7, "construction differs from the table by " + diff);
        }
        float[] v = NormalFloat4.values();
        assertEquals(16, v.length);
        assertEquals(-1f, v[0]);
        assertEquals(0f, v[NormalFloat4.ZERO_CODE]);
        assertEquals(1f, v[15]);
        for (int i = 1; i < v.length; i++) {
            assertTrue(v[i] > v[i - 1], "values must ascend at " + i);
        }
    }

    @Test
    void thresholdsAreTheMidpointsOfBitsandbytesDecisionTree() {
        try (SafetensorsReader golden = SafetensorsReader.open(QuantTesting.golden())) {
            assertArrayEquals(QuantTesting.floats(golden, "nf4_thresholds"), NormalFloat4.thresholds(), 0f);
        }
    }

    @Test
    void encodesToTheNearestValueWithTiesGoingDown() {
        float[] v = NormalFloat4.values();
        float[] t = NormalFloat4.thresholds();
        for (int c = 0; c < 16; c++) {
            assertEquals(c, NormalFloat4.encode(v[c]), "a code value encodes to itself");
        }
        for (int i = 0; i < t.length; i++) {
            assertEquals(i, NormalFloat4.encode(t[i]), "exactly on threshold " + i + " takes the lower code");
            assertEquals(i + 1, NormalFloat4.encode(Math.nextUp(t[i])), "just above threshold " + i);
        }
        assertEquals(0, NormalFloat4.encode(-7f));
        assertEquals(15, NormalFloat4.encode(7f));
        assertEquals(NormalFloat4.ZERO_CODE, NormalFloat4.encode(Float.NaN));
        // brute force: nearest by distance everywhere except within float rounding of a midpoint
        for (int k = 0; k <= 20000; k++) {
            float x = -1f + 2f * k / 20000;
            int best = 0;
            for (int c = 1; c < 16; c++) {
                if (Math.abs(x - v[c]) < Math.abs(x - v[best])) {
                    best = c;
                }
            }
            int code = NormalFloat4.encode(x);
            if (code != best) {
                assertTrue(Math.abs(Math.abs(x - v[code]) - Math.abs(x - v[best])) < 1e-6, "x = " + x
                        + " encodes to " + code + " but " + best + " is nearer");
            }
        }
    }

    @Test
    void pairTableDecodesBothNibblesHighFirst() {
        float[] table = NormalFloat4.pairTable();
        assertEquals(512, table.length);
        assertEquals(NormalFloat4.value(1), table[2 * 0x1f]);
        assertEquals(NormalFloat4.value(15), table[2 * 0x1f + 1]);
        for (int b = 0; b < 256; b++) {
            assertEquals(NormalFloat4.value(b >>> 4), table[2 * b], "high nibble of " + b);
            assertEquals(NormalFloat4.value(b & 15), table[2 * b + 1], "low nibble of " + b);
        }
    }
}
