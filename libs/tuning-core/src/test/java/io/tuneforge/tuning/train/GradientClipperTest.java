package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Global-norm clipping as torch.nn.utils.clip_grad_norm_. */
class GradientClipperTest {

    @Test
    void clipsToTheBoundAndReportsThePreClipNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, 0});
            NDArray b = m.create(new float[][] {{0, 4}, {0, 12}}); // global norm √(9 + 16 + 144) = 13
            double norm = GradientClipper.clip(List.of(a, b), 1.0, m);
            assertEquals(13.0, norm, 1e-6);
            float c = (float) (1.0 / (13.0 + 1e-6));
            assertArrayEquals(new float[] {3 * c, 0}, a.toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {0, 4 * c, 0, 12 * c}, b.toFloatArray(), 1e-7f);
            assertEquals(1.0, GradientClipper.globalNorm(List.of(a, b), m), 1e-6);
        }
    }

    @Test
    void leavesSmallGradientsAndZeroBoundAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0.3f, -0.4f});
            assertEquals(0.5, GradientClipper.clip(List.of(a), 1.0, m), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray(), 0f);
            NDArray big = m.create(new float[] {30f, -40f});
            assertEquals(50, GradientClipper.clip(List.of(big), 0, m), 1e-4, "0 = measure only");
            assertArrayEquals(new float[] {30f, -40f}, big.toFloatArray(), 0f);
        }
    }

    @Test
    void reportsNonFiniteNormsWithoutTouchingTheGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {Float.NaN, 1f});
            assertTrue(Double.isNaN(GradientClipper.clip(List.of(a), 1.0, m)));
            assertEquals(1f, a.toFloatArray()[1]);
        }
    }
}
