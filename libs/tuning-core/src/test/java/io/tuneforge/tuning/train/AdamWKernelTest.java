package io.tuneforge.tuning.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused CPU pass of AdamW against the tensor-op update GPUs take, and its in-place views. */
class AdamWKernelTest {

    /** Two parameters larger than one task (65,536 elements), one decaying, over several steps with a grad scale. */
    @Test
    void fusedPassAgreesWithTensorOpsAndTheScaleActsAsScaledGradients() {
        int n = 70_001;
        SplittableRandom r = new SplittableRandom(11);
        try (NDManager m = NDManager.newBaseManager();
             AdamW fused = new AdamW(Device.cpu(), 0.1, name -> name.equals("w"));
             AdamW tensorOps = new AdamW(Device.cpu(), 0.1, name -> name.equals("w"));
             AdamW prescaled = new AdamW(Device.cpu(), 0.1, name -> name.equals("w"))) {
            tensorOps.forceTensorOps();
            float[] w0 = gaussian(r, n, 1);
            float[] b0 = gaussian(r, 3, 1);
            Map<String, NDArray> a = params(m, w0, b0);
            Map<String, NDArray> b = params(m, w0, b0);
            Map<String, NDArray> c = params(m, w0, b0);
            for (int step = 0; step < 4; step++) {
                float[] gw = gaussian(r, n, Math.pow(10, -step));
                float[] gb = gaussian(r, 3, 1);
                double scale = 0.37;
                NDArray gwArr = m.create(gw);
                fused.step(a, Map.of("w", gwArr, "b", m.create(gb)), 1e-2, scale);
                tensorOps.step(b, Map.of("w", m.create(gw), "b", m.create(gb)), 1e-2, scale);
                prescaled.step(c, Map.of("w", m.create(gw).mul(m.create((float) scale)),
                        "b", m.create(gb).mul(m.create((float) scale))), 1e-2);
                assertArrayEquals(gw, gwArr.toFloatArray(), 0f, "the gradient itself is left alone");
            }
            for (String name : new String[] {"w", "b"}) {
                float[] got = a.get(name).toFloatArray();
                assertArrayEquals(b.get(name).toFloatArray(), got, 2e-6f, name + ": fused vs tensor ops");
                assertArrayEquals(c.get(name).toFloatArray(), got, 2e-6f, name + ": scale vs pre-scaled gradients");
                float[][] mf = fused.moments(name);
                float[][] mt = tensorOps.moments(name);
                assertArrayEquals(mt[0], mf[0], 1e-7f, name + " exp_avg");
                assertArrayEquals(mt[1], mf[1], 1e-8f, name + " exp_avg_sq");
            }
            assertEquals(4, fused.stepCount("w"));
            assertEquals(8, fused.inPlaceUpdates(), "every update of both parameters took the fused pass");
            assertEquals(0, tensorOps.inPlaceUpdates());
        }
    }

    @Test
    void viewsAreTheArraysOwnStorageAndStridedArraysHaveNone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            var view = AdamWKernel.hostView(a);
            assertNotNull(view);
            view.put(4, 50f);
            assertEquals(50f, a.toFloatArray()[4], "a write through the view is a write to the array");
            assertNull(AdamWKernel.hostView(a.transpose()), "a transposed view is strided: no in-place view");
            assertNull(AdamWKernel.hostView(m.create(new double[] {1, 2})), "only f32");
        }
    }

    @Test
    void refusesANonFiniteOrNegativeScale() {
        try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(Device.cpu(), 0, n -> true)) {
            Map<String, NDArray> p = Map.of("w", m.create(new float[] {1}));
            Map<String, NDArray> g = Map.of("w", m.create(new float[] {1}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> opt.step(p, g, 0.1, Double.POSITIVE_INFINITY));
            assertEquals("gradScale = Infinity must be finite and >= 0 (it is the clipping factor over the token count)",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> opt.step(p, g, 0.1, -1));
            assertEquals(0, opt.stepCount("w"), "a refused step leaves no state");
        }
    }

    private static Map<String, NDArray> params(NDManager m, float[] w, float[] b) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("w", m.create(w));
        out.put("b", m.create(b));
        return out;
    }

    private static float[] gaussian(SplittableRandom r, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * scale);
        }
        return out;
    }
}
