package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantization error and storage on a normal(0, 0.02) weight of 256 × 1024 (4096 blocks of 64, 16
 * double-quantization blocks of 256) — what pretrained weights look like.
 *
 * <p>Bounds. NF4 picks the nearest of its 16 values, so an element's error is at most half the gap
 * of its cell times the block absmax; the widest gap is [−1, −0.696] (0.3038), so
 * {@code |x − x̂| ≤ 0.1519 · absmax}. For normal data with blocks of 64 the expected errors are
 * mean |x − x̂| ≈ 0.073 σ and RMS ≈ 0.092 σ (measured by nf4_reference-style simulation on 4M values:
 * 0.0728 σ and 0.0919 σ).
 *
 * <p>Double quantization: a dequantized absmax is within half a dynamic-map gap times its block's
 * scale of the original. In the top decade the map's gap is 0.9/64 = 0.0141, so the worst case is
 * 0.7 % of the largest |absmax − mean| in the block; relative to absmax itself this measures mean
 * 1.6e-3 and max 5e-3 to 1.1e-2 (4M-value simulation). A relative error of 1e-3 at worst is out of
 * reach for any 8-bit code over blocks of 256: the absmax values of a block spread over ≈ 0.05, and
 * 256 levels leave steps of ≈ 2e-4, i.e. ≥ 3e-3 relative for the smaller absmax values. The extra
 * weight error it causes is small next to NF4's own.
 */
class Nf4ErrorTest {

    static final double STD = 0.02;
    static final int ROWS = 256;
    static final int COLS = 1024;
    static float[] weight;
    static NDManager manager;
    static CodeTables tables;

    @BeforeAll
    static void setUp() {
        weight = QuantTesting.normal(2024, ROWS * COLS, STD);
        manager = NDManager.newBaseManager();
        tables = CodeTables.create(manager);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void nf4ErrorIsWithinTheNearestCodeBoundAndTheExpectedMean() {
        try (Nf4Tensor t = Nf4Tensor.quantize(weight, new Shape(ROWS, COLS), QuantizationConfig.nf4(false), tables,
                manager)) {
            float[] back = t.dequantizeToArray();
            float[] absmax = t.absmaxValues();
            double halfWidestGap = (NormalFloat4.value(1) - (double) NormalFloat4.value(0)) / 2;   // 0.1519
            double sumAbs = 0;
            double sumSq = 0;
            double worstRatio = 0;
            for (int i = 0; i < weight.length; i++) {
                double e = Math.abs((double) weight[i] - back[i]);
                sumAbs += e;
                sumSq += e * e;
                worstRatio = Math.max(worstRatio, e / absmax[i / 64]);
            }
            double meanAbs = sumAbs / weight.length / STD;
            double rms = Math.sqrt(sumSq / weight.length) / STD;
            System.out.printf("NF4 on normal(0, %.2f): mean |err| = %.4f σ, RMS = %.4f σ, max |err| / absmax = %.5f%n",
                    STD, meanAbs, rms, worstRatio);
            assertTrue(worstRatio <= halfWidestGap + 1e-6, "max |err| / absmax = " + worstRatio + " exceeds "
                    + halfWidestGap);
            assertEquals(0.073, meanAbs, 0.004, "mean |err| / σ");
            assertEquals(0.092, rms, 0.005, "RMS err / σ");
        }
    }

    @Test
    void doubleQuantizedScalesStayCloseToTheOriginals() {
        float[] absmax = Nf4Codec.absmax(weight, 64);
        try (DoubleQuantizedAbsmax dq = DoubleQuantizedAbsmax.quantize(absmax, 256, manager)) {
            float[] back = dq.dequantizeToArray();
            float[] scales = dq.scales().toFloatArray();
            byte[] codes = dq.codes().toByteArray();
            float[] map = DynamicMap.values();
            double sumRel = 0;
            double maxRel = 0;
            for (int i = 0; i < absmax.length; i++) {
                double rel = Math.abs(back[i] - absmax[i]) / absmax[i];
                sumRel += rel;
                maxRel = Math.max(maxRel, rel);
                // nearest-code bound: half the wider gap next to the chosen code, times the block scale
                int c = codes[i] & 0xff;
                double gap = Math.max(c > 0 ? map[c] - map[c - 1] : 0, c < 255 ? map[c + 1] - map[c] : 0);
                double bound = gap / 2 * scales[i / 256] + 2 * Math.ulp(absmax[i]);
                assertTrue(Math.abs(back[i] - absmax[i]) <= bound, "absmax " + i + ": " + absmax[i] + " → " + back[i]
                        + " is further than half a code gap (" + bound + ")");
            }
            double meanRel = sumRel / absmax.length;
            System.out.printf("double-quantized absmax: mean relative error %.2e, max %.2e%n", meanRel, maxRel);
            assertTrue(meanRel < 2.5e-3, "mean relative error " + meanRel);
            assertTrue(maxRel < 1.5e-2, "max relative error " + maxRel);
        }
    }

    @Test
    void doubleQuantizationAddsLittleWeightError() {
        Shape shape = new Shape(ROWS, COLS);
        try (Nf4Tensor plain = Nf4Tensor.quantize(weight, shape, QuantizationConfig.nf4(false), tables, manager);
             Nf4Tensor dq = Nf4Tensor.quantize(weight, shape, QuantizationConfig.nf4(true), tables, manager)) {
            double rmsPlain = rms(weight, plain.dequantizeToArray());
            double rmsDq = rms(weight, dq.dequantizeToArray());
            System.out.printf("weight RMS error: NF4 %.4e, NF4 + double quant %.4e (+%.2f %%)%n", rmsPlain, rmsDq,
                    100 * (rmsDq / rmsPlain - 1));
            assertTrue(rmsDq <= rmsPlain * 1.01, "double quantization raised the RMS error from " + rmsPlain
                    + " to " + rmsDq);
        }
    }

    @Test
    void storageMeetsQloraBudget() {
        Shape shape = new Shape(ROWS, COLS);
        try (Nf4Tensor plain = Nf4Tensor.quantize(weight, shape, QuantizationConfig.nf4(false), tables, manager);
             Nf4Tensor dq = Nf4Tensor.quantize(weight, shape, QuantizationConfig.nf4(true), tables, manager)) {
            // measured from the stored arrays: codes (n/2 u8) + absmax (n/64 f32)
            assertEquals(ROWS * COLS / 2 + ROWS * COLS / 64 * 4, plain.storedBytes());
            assertEquals(0.5625, plain.bytesPerParameter(), 1e-12);
            // codes + absmax codes (n/64 u8) + scales (n/64/256 f32) + offset (f32)
            assertEquals(ROWS * COLS / 2 + ROWS * COLS / 64 + ROWS * COLS / 64 / 256 * 4 + 4, dq.storedBytes());
            assertTrue(dq.bytesPerParameter() <= 0.55, "double quant: " + dq.bytesPerParameter() + " bytes/param");
            assertEquals(QuantizationConfig.nf4(true).nominalBytesPerParameter(), dq.bytesPerParameter(), 1e-4);
        }
    }

    private static double rms(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s / x.length);
    }
}
