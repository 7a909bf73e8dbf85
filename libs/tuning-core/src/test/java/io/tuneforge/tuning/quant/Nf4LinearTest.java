package io.tuneforge.tuning.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.model.Linear;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quantized projection: y = x·dequant(W)ᵀ + b, gradients to x only, nothing left behind. */
class Nf4LinearTest {

    NDManager manager;
    CodeTables tables;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        tables = CodeTables.create(manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void forwardEqualsInputTimesDequantizedWeight() {
        for (boolean doubleQuant : new boolean[] {false, true}) {
            // 48 × 128 (96 blocks) and 5 × 13 (65 values: a short last block and an odd byte count)
            for (int[] size : new int[][] {{48, 128}, {5, 13}}) {
                int out = size[0];
                int in = size[1];
                float[] w = QuantTesting.normal(7 + out, out * in, 0.02);
                float[] b = QuantTesting.normal(9, out, 0.1);
                NDArray x = manager.create(QuantTesting.normal(8, 3 * 5 * in, 1.0), new Shape(3, 5, in)); // (B, T, in)
                Linear dense = new Linear(manager.create(w, new Shape(out, in)), manager.create(b, new Shape(out)));
                Nf4Linear nf4 = Nf4Linear.quantize(dense, QuantizationConfig.nf4(doubleQuant), tables, manager);
                assertEquals(in, nf4.inFeatures());
                assertEquals(out, nf4.outFeatures());
                float[] wq = nf4.weight().dequantizeToArray();                                    // (out, in)
                float[] xs = x.toFloatArray();
                float[] y = nf4.forward(x).toFloatArray();                                        // (B, T, out)
                assertEquals(3 * 5 * out, y.length);
                double worst = 0;
                for (int r = 0; r < 15; r++) {
                    for (int o = 0; o < out; o++) {
                        double expected = b[o];
                        for (int i = 0; i < in; i++) {
                            expected += (double) xs[r * in + i] * wq[o * in + i];
                        }
                        worst = Math.max(worst, Math.abs(expected - y[r * out + o]));
                    }
                }
                assertTrue(worst < 1e-5, out + "×" + in + (doubleQuant ? " dq" : "") + ": max |Δ| = " + worst);
            }
        }
    }

    @Test
    void gradientsFlowToTheInputOnlyAndNothingLeaks() {
        int out = 32;
        int in = 64;
        Linear dense = new Linear(manager.create(QuantTesting.normal(1, out * in, 0.02), new Shape(out, in)), null);
        try (NDManager quant = manager.newSubManager()) {
            Nf4Linear nf4 = Nf4Linear.quantize(dense, QuantizationConfig.nf4(true), tables, quant);
            int stored = quant.getManagedArrays().size();
            float[] wq = nf4.weight().dequantizeToArray();
            float[] grad;
            try (NDManager step = manager.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.create(QuantTesting.normal(2, 4 * in, 1.0), new Shape(4, in));   // (B, in)
                x.setRequiresGradient(true);
                NDArray y = nf4.forward(x);                                                        // (B, out)
                assertEquals(step, y.getManager(), "the result belongs to the caller's manager");
                collector.backward(y.sum());
                try (NDArray g = x.getGradient()) {
                    grad = g.toFloatArray();
                }
            }
            // d sum(y) / d x[b, i] = Σ_o W[o, i]
            for (int i = 0; i < in; i++) {
                double column = 0;
                for (int o = 0; o < out; o++) {
                    column += wq[o * in + i];
                }
                for (int row = 0; row < 4; row++) {
                    assertEquals(column, grad[row * in + i], 1e-5, "d/dx[" + row + ", " + i + "]");
                }
            }
            assertEquals(stored, quant.getManagedArrays().size(), "forward/backward left arrays in the NF4 manager");
            for (NDArray a : quant.getManagedArrays()) {
                assertFalse(a.hasGradient(), "stored NF4 array " + a.getShape() + " must not require a gradient");
            }
        }
    }

    @Test
    void refusesMisshapedBias() {
        Nf4Tensor w = Nf4Tensor.quantize(new float[64], new Shape(4, 16), QuantizationConfig.nf4(false), tables,
                manager);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Nf4Linear(w, manager.zeros(new Shape(5))));
        assertTrue(e.getMessage().contains("(4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nf4Tensor.quantize(new float[63], new Shape(4, 16),
                QuantizationConfig.nf4(false), tables, manager));
    }
}
