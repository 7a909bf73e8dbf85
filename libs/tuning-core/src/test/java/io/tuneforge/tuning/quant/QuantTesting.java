package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.weights.SafetensorsReader;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers of the quantization tests: the golden file, seeded normal tensors, distances. */
final class QuantTesting {

    /** Written by src/test/python/nf4_reference.py (see golden/nf4/README.md). */
    static final String GOLDEN = "/golden/nf4/nf4_golden.safetensors";

    private QuantTesting() {
    }

    static Path golden() {
        try {
            return Path.of(QuantTesting.class.getResource(GOLDEN).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + GOLDEN + " is missing", e);
        }
    }

    /** A golden F32 tensor as a Java array. */
    static float[] floats(SafetensorsReader reader, String name) {
        try (NDManager m = NDManager.newBaseManager(); NDArray a = reader.read(name, m)) {
            return a.toFloatArray();
        }
    }

    /** A golden U8 tensor as a Java array. */
    static byte[] bytes(SafetensorsReader reader, String name) {
        try (NDManager m = NDManager.newBaseManager(); NDArray a = reader.read(name, m)) {
            return a.toByteArray();
        }
    }

    static Shape shape(SafetensorsReader reader, String name) {
        return reader.info(name).shape();
    }

    /** n values ~ normal(0, std), deterministic. */
    static float[] normal(long seed, int n, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1)) * std;
            out[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                out[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return out;
    }

    static double maxAbsDiff(float[] x, float[] y) {
        assertEquals(x.length, y.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
        }
        return worst;
    }

    static double maxAbs(float[] x) {
        double worst = 0;
        for (float v : x) {
            worst = Math.max(worst, Math.abs(v));
        }
        return worst;
    }
}
