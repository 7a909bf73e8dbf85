package io.tuneforge.tuning.quant;

import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bitsandbytes' dynamic 8-bit map (double quantization's code). */
class DynamicMapTest {

    @Test
    void equalsBitsandbytesMapWithinOneUlp() {
        float[] mine = DynamicMap.values();
        float[] torch;
        try (SafetensorsReader golden = SafetensorsReader.open(QuantTesting.golden())) {
            torch = QuantTesting.floats(golden, "dynamic_map");
        }
        assertEquals(256, torch.length);
        for (int i = 0; i < 256; i++) {
            assertTrue(Math.abs(mine[i] - torch[i]) <= Math.ulp(torch[i]), "value " + i + ": " + mine[i]
                    + " vs torch-built " + torch[i]);
        }
    }

    @Test
    void shapeOfTheMap() {
        float[] v = DynamicMap.values();
        for (int i = 1; i < v.length; i++) {
            assertTrue(v[i] > v[i - 1], "values must ascend at " + i);
        }
        assertEquals(1f, v[255]);
        assertEquals(0f, v[DynamicMap.zeroCode()]);
        assertEquals(127, DynamicMap.zeroCode());
        assertEquals(-0.99296875f, v[0], 1e-7f);                   // −midpoint of the last gap of linspace(0.1, 1, 65)
        assertEquals(5.5e-7f, v[128], 1e-12f);                     // 10^-6 · 0.55: the smallest positive value
        int topDecade = 0;
        for (float x : v) {
            topDecade += x >= 0.1f && x < 1f ? 1 : 0;
        }
        assertEquals(64, topDecade, "64 positive values in [0.1, 1)");
    }

    @Test
    void encodesToTheNearestValue() {
        float[] v = DynamicMap.values();
        for (int c = 0; c < 256; c++) {
            assertEquals(c, DynamicMap.encode(v[c]), "a code value encodes to itself");
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < 20000; k++) {
            float x = (float) (random.nextDouble() * 2 - 1) * (k % 2 == 0 ? 1f : 0.01f);
            int best = 0;
            for (int c = 1; c < 256; c++) {
                if (Math.abs(x - v[c]) < Math.abs(x - v[best])) {
                    best = c;
                }
            }
            int code = DynamicMap.encode(x);
            assertTrue(code == best || Math.abs(Math.abs(x - v[code]) - Math.abs(x - v[best])) < 1e-7,
                    "x = " + x + " encodes to " + code + " but " + best + " is nearer");
        }
        assertEquals(0, DynamicMap.encode(-2f));
        assertEquals(255, DynamicMap.encode(2f));
        assertEquals(DynamicMap.zeroCode(), DynamicMap.encode(Float.NaN));
    }
}
