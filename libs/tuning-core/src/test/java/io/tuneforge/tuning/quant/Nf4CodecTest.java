package io.tuneforge.tuning.quant;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packing, block absmax and the refusals of the array-level codec. */
class Nf4CodecTest {

    @Test
    void packsTwoCodesPerByteFirstInTheHighNibble() {
        assertArrayEquals(new byte[] {0x12, (byte) 0xf0}, Nf4Codec.pack(new int[] {1, 2, 15, 0}));
        // an odd count pads the last low nibble with the code of 0.0
        assertArrayEquals(new byte[] {(byte) 0xa7}, Nf4Codec.pack(new int[] {10}));
        assertArrayEquals(new int[] {1, 2, 15}, Nf4Codec.unpack(new byte[] {0x12, (byte) 0xf7}, 3));
    }

    @Test
    void packingRoundTrips() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 63, 64, 65, 1001}) {
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                codes[i] = random.nextInt(16);
            }
            byte[] packed = Nf4Codec.pack(codes);
            assertEquals((n + 1) / 2, packed.length);
            assertArrayEquals(codes, Nf4Codec.unpack(packed, n), "n = " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> Nf4Codec.pack(new int[] {16}));
        assertThrows(IllegalArgumentException.class, () -> Nf4Codec.unpack(new byte[3], 7));
    }

    @Test
    void blockAbsmaxIsTheBlocksOwnLargestMagnitude() {
        float[] x = QuantTesting.normal(3, 64 * 5 + 17, 0.02);
        x[70] = -0.5f;                                     // block 1's extreme is negative
        float[] absmax = Nf4Codec.quantizeNf4(x, 64).absmax();
        assertEquals(6, absmax.length, "5 full blocks and one of 17");
        for (int b = 0; b < absmax.length; b++) {
            float max = 0;
            for (int i = b * 64; i < Math.min(x.length, (b + 1) * 64); i++) {
                max = Math.max(max, Math.abs(x[i]));
            }
            assertEquals(max, absmax[b], 0f, "block " + b);
        }
        assertEquals(0.5f, absmax[1]);
        // the extreme of each block decodes exactly (code ±1)
        float[] back = Nf4Codec.dequantizeNf4(Nf4Codec.quantizeNf4(x, 64).packed(), absmax, x.length, 64);
        assertEquals(-0.5f, back[70]);
    }

    @Test
    void zeroBlocksDecodeToZero() {
        float[] x = new float[130];
        x[129] = 0.25f;
        Nf4Codec.Nf4Blocks q = Nf4Codec.quantizeNf4(x, 64);
        assertArrayEquals(new float[] {0f, 0f, 0.25f}, q.absmax(), 0f);
        float[] back = Nf4Codec.dequantizeNf4(q.packed(), q.absmax(), x.length, 64);
        assertArrayEquals(x, back, 0f);
        assertEquals(0x77, q.packed()[0] & 0xff, "zeros take the code of 0.0 (7)");
    }

    @Test
    void refusesNonFiniteValuesAndBadBlockSizes() {
        float[] x = new float[100];
        x[42] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nf4Codec.quantizeNf4(x, 64));
        assertTrue(e.getMessage().contains("element 42") && e.getMessage().contains("NaN"), e.getMessage());
        x[42] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> Nf4Codec.quantizeDynamic8(x, 256));
        e = assertThrows(IllegalArgumentException.class, () -> Nf4Codec.quantizeNf4(new float[4], 48));
        assertTrue(e.getMessage().contains("blockSize = 48"), e.getMessage());
    }
}
