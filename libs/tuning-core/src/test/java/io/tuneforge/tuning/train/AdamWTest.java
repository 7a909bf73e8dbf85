package io.tuneforge.tuning.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdamW against torch.optim.AdamW's numbers and a plain-Java version of the formulas; exact resume. */
class AdamWTest {

    @TempDir
    Path dir;

    private static final float[][] GRADS_P = {{0.1f, -0.2f, 0.3f}, {-0.05f, 0.4f, 0.0f}, {1e-3f, -1e-3f, 2.0f}};
    private static final float[][] GRADS_Q = {{1.0f, -1.0f}, {0.5f, 0.5f}, {-2.0f, 0.0f}};

    /**
     * Printed by torch 1.13 (Debian python3-torch): AdamW(lr=0.01, weight_decay=0.1, foreach=False), q in a
     * param group with weight_decay=0, grads as above.
     */
    private static final float[][] TORCH_P = {
            {0.4895000159740448f, -0.9890000224113464f, 1.9880000352859497f},
            {0.48634713888168335f, -0.9916720986366272f, 1.979311466217041f},
            {0.48374488949775696f, -0.9934961199760437f, 1.9702470302581787f}};
    private static final float[][] TORCH_Q = {
            {0.23999999463558197f, 3.009999990463257f},
            {0.23067820072174072f, 3.0126633644104004f},
            {0.23274177312850952f, 3.0147221088409424f}};

    @Test
    void matchesTorchAdamWWithDecayOnlyWhereAsked() {
        try (NDManager m = NDManager.newBaseManager();
             AdamW opt = new AdamW(Device.cpu(), 0.1, name -> !name.equals("q"))) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("p", m.create(new float[] {0.5f, -1.0f, 2.0f}));
            params.put("q", m.create(new float[] {0.25f, 3.0f}));
            for (int s = 0; s < 3; s++) {
                opt.step(params, Map.of("p", m.create(GRADS_P[s]), "q", m.create(GRADS_Q[s])), 0.01);
                assertArrayEquals(TORCH_P[s], params.get("p").toFloatArray(), 1e-6f, "p after step " + (s + 1));
                assertArrayEquals(TORCH_Q[s], params.get("q").toFloatArray(), 1e-6f, "q after step " + (s + 1));
            }
            assertEquals(3, opt.stepCount("p"));
        }
    }

    @Test
    void matchesTheFormulaInDoublesOverManySteps() {
        int n = 64;
        double lr = 3e-3;
        double wd = 0.01;
        double[] p = new double[n];
        double[] mm = new double[n];
        double[] vv = new double[n];
        float[] init = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            init[i] = (float) r.nextGaussian();
            p[i] = init[i];
        }
        try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(Device.cpu(), wd, name -> true)) {
            Map<String, NDArray> params = Map.of("w", m.create(init));
            for (int t = 1; t <= 25; t++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) (r.nextGaussian() * Math.pow(10, -r.nextInt(4)));
                    p[i] *= 1 - lr * wd;
                    mm[i] = 0.9 * mm[i] + 0.1 * g[i];
                    vv[i] = 0.999 * vv[i] + 0.001 * g[i] * g[i];
                    double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                    p[i] -= lr / (1 - Math.pow(0.9, t)) * mm[i] / denom;
                }
                try (NDArray grad = m.create(g)) {
                    opt.step(params, Map.of("w", grad), lr);
                }
            }
            float[] got = params.get("w").toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(p[i], got[i], 2e-5 * Math.max(1, Math.abs(p[i])), "element " + i);
            }
        }
    }

    @Test
    void savedStateResumesBitForBit() {
        float[] init = {0.5f, -1.0f, 2.0f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray straight = m.create(init);
            NDArray resumed = m.create(init);
            try (AdamW a = new AdamW(Device.cpu(), 0.1, n -> true)) {
                for (float[] g : GRADS_P) {
                    a.step(Map.of("w", straight), Map.of("w", m.create(g)), 0.01);
                }
            }
            Path file = dir.resolve("optimizer.safetensors");
            try (AdamW first = new AdamW(Device.cpu(), 0.1, n -> true)) {
                first.step(Map.of("w", resumed), Map.of("w", m.create(GRADS_P[0])), 0.01);
                first.save(file);
            }
            try (AdamW second = new AdamW(Device.cpu(), 0.1, n -> true)) {
                second.load(file, Map.of("w", resumed));
                assertEquals(1, second.stepCount("w"));
                second.step(Map.of("w", resumed), Map.of("w", m.create(GRADS_P[1])), 0.01);
                second.step(Map.of("w", resumed), Map.of("w", m.create(GRADS_P[2])), 0.01);
            }
            assertArrayEquals(straight.toFloatArray(), resumed.toFloatArray(), 0f, "resume is exact");
        }
    }

    @Test
    void loadRefusesStateThatDoesNotFit() {
        try (NDManager m = NDManager.newBaseManager(); AdamW a = new AdamW(Device.cpu(), 0.0, n -> true)) {
            NDArray w = m.create(new float[] {1, 2, 3});
            a.step(Map.of("w", w), Map.of("w", m.create(new float[] {1, 1, 1})), 0.1);
            Path file = dir.resolve("o.safetensors");
            a.save(file);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.load(file, Map.of("w", m.create(new float[] {1, 2}))));
            assertTrue(e.getMessage().contains("w.exp_avg has shape (3) but the parameter is (2)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> a.load(file, Map.of("other", w)));
            assertTrue(e.getMessage().contains("w has optimizer state but is not a trainable parameter"), e.getMessage());
        }
    }

    @Test
    void refusesBadHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW(Device.cpu(), 1.0, 0.999, 1e-8, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(Device.cpu(), 0.9, 0.999, 0, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(Device.cpu(), -0.1, n -> true));
    }
}
