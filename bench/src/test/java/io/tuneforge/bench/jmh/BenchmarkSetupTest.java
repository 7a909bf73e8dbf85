package io.tuneforge.bench.jmh;

import io.tuneforge.dataprep.dedup.MinHasher;
import io.tuneforge.tuning.metrics.PrfScore;
import io.tuneforge.tuning.metrics.Rouge;
import io.tuneforge.tuning.quant.Nf4Codec;
import io.tuneforge.tuning.quant.QuantizationConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each JMH benchmark's setup works and one invocation computes what the kernel should (small sizes, no JMH). */
class BenchmarkSetupTest {

    @Test
    void nf4DeviceDequantizationMatchesTheJavaCodec() {
        Nf4DequantBenchmark device = new Nf4DequantBenchmark();
        device.size = 128;
        device.doubleQuant = false;
        device.setUp();
        Nf4JavaDequantBenchmark java = new Nf4JavaDequantBenchmark();
        java.size = 128;
        java.setUp();
        try {
            float[] w = java.dequantize();
            assertEquals(128 * 128, w.length);
            assertEquals(w[w.length - 1], device.device(), 1e-7f, "last element, device vs Java");
            float[] original = Nf4DequantBenchmark.normalWeight(128);
            double err = 0;
            for (int i = 0; i < w.length; i++) {
                err = Math.max(err, Math.abs(w[i] - original[i]));
            }
            assertTrue(err > 0 && err < 0.02, "NF4 round trip error of a normal(0, 0.02) weight: " + err);
        } finally {
            device.tearDown();
        }
    }

    @Test
    void nf4DoubleQuantSetupDequantizesCloseToTheF32Absmax() {
        Nf4DequantBenchmark dq = new Nf4DequantBenchmark();
        dq.size = 128;
        dq.doubleQuant = true;
        dq.setUp();
        try {
            float[] original = Nf4DequantBenchmark.normalWeight(128);
            Nf4Codec.Nf4Blocks blocks = Nf4Codec.quantizeNf4(original, QuantizationConfig.DEFAULT_BLOCK_SIZE);
            float plain = Nf4Codec.dequantizeNf4(blocks.packed(), blocks.absmax(), original.length,
                    QuantizationConfig.DEFAULT_BLOCK_SIZE)[original.length - 1];
            assertEquals(plain, dq.device(), Math.abs(plain) * 0.02 + 1e-6, "8-bit absmax changes a weight by < 2 %");
        } finally {
            dq.tearDown();
        }
    }

    @Test
    void rougeLScoresTheGeneratedPairLikeRouge() {
        RougeLcsBenchmark b = new RougeLcsBenchmark();
        b.tokens = 64;
        b.setUp();
        PrfScore score = b.rougeL();
        assertEquals(Rouge.rougeL(b.prediction(), b.reference()), score);
        assertEquals(64, b.prediction().size());
        assertTrue(score.f1() > 0.4 && score.f1() < 0.9, "about half the tokens shared in order: " + score);
    }

    @Test
    void minHashSignatureHasThePipelinesPermutationCount() {
        MinHashBenchmark b = new MinHashBenchmark();
        b.chars = 480;
        b.setUp();
        assertEquals(480, b.text().length());
        int[] sig = b.signature();
        assertEquals(b.hasher().numPermutations(), sig.length);
        assertArrayEquals(sig, b.signature(), "deterministic");
        assertEquals(1.0, MinHasher.similarity(sig, b.hasher().signature(b.text())));
    }
}
