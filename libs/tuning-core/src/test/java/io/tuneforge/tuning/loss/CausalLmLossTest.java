package io.tuneforge.tuning.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loss against the same formula computed independently in Java doubles (log-sum-exp by
 * hand), one value known in closed form, and the gradient against softmax − one-hot.
 */
class CausalLmLossTest {

    static final int B = 2;
    static final int T = 4;
    static final int V = 5;
    static final long I = -100;
    /** Row 0 trains positions 1 and 2; row 1 positions 2 and 3. Position 0 is never predicted. */
    static final long[] LABELS = {I, 3, 1, I, 7 /* ignored: position 0 */, I, 4, 0};

    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static float[] logitValues() {
        float[] z = new float[B * T * V];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2.5 * Math.sin(0.7 * i + 0.3) + 0.1 * (i % 3));
        }
        return z;
    }

    static double logSumExp(float[] z, int offset) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            max = Math.max(max, z[offset + v]);
        }
        double s = 0;
        for (int v = 0; v < V; v++) {
            s += Math.exp(z[offset + v] - max);
        }
        return max + Math.log(s);
    }

    /** nll[b][t] for t predicting label t+1 (0 where ignored), from the formula in doubles. */
    static double[][] referenceNll(float[] z) {
        double[][] nll = new double[B][T - 1];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T - 1; t++) {
                long y = LABELS[b * T + t + 1];
                if (y != I) {
                    int offset = (b * T + t) * V;
                    nll[b][t] = logSumExp(z, offset) - z[offset + (int) y];
                }
            }
        }
        return nll;
    }

    @Test
    void sumMeanAndSequenceLogProbsMatchTheFormula() {
        float[] z = logitValues();
        double[][] nll = referenceNll(z);
        double expectedSum = 0;
        double[] expectedSeq = new double[B];
        for (int b = 0; b < B; b++) {
            for (double v : nll[b]) {
                expectedSum += v;
                expectedSeq[b] -= v;
            }
        }
        NDArray logits = manager.create(z, new Shape(B, T, V));
        NDArray labels = manager.create(LABELS, new Shape(B, T));

        LossSum sum = CausalLmLoss.sum(logits, labels);
        assertEquals(4, sum.count());
        assertEquals(expectedSum, sum.sum().getFloat(), 1e-5);
        assertEquals(expectedSum / 4, CausalLmLoss.mean(logits, labels).getFloat(), 1e-6);
        assertEquals(expectedSum / 4, sum.meanValue(), 1e-6);
        float[] seq = CausalLmLoss.sequenceLogProbs(logits, labels).toFloatArray();
        assertEquals(B, seq.length);
        assertEquals(expectedSeq[0], seq[0], 1e-5);
        assertEquals(expectedSeq[1], seq[1], 1e-5);
    }

    @Test
    void minusInfinityLogitsAtIgnoredPositionsStayOutOfTheLoss() {
        float[] z = logitValues();
        z[(0 * T + 2) * V] = Float.NEGATIVE_INFINITY; // row 0, position 2 predicts label[3] = -100
        double expected = 0;
        for (double[] row : referenceNll(z)) {
            for (double v : row) {
                expected += v;
            }
        }
        LossSum sum = CausalLmLoss.sum(manager.create(z, new Shape(B, T, V)), manager.create(LABELS, new Shape(B, T)));
        assertEquals(expected, sum.sum().getFloat(), 1e-5);
    }

    @Test
    void knownClosedFormValue() {
        // logits [1, 2, 3] predicting token 2: −log(e³ / (e + e² + e³)) = log(1 + e⁻¹ + e⁻²) = 0.4076059644…
        NDArray logits = manager.create(new float[] {1, 2, 3, 0, 0, 0}, new Shape(1, 2, 3));
        NDArray labels = manager.create(new long[] {I, 2}, new Shape(1, 2));
        assertEquals(0.4076059644, CausalLmLoss.mean(logits, labels).getFloat(), 1e-6);
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverTheCount() {
        float[] z = logitValues();
        NDArray logits = manager.create(z, new Shape(B, T, V));
        logits.setRequiresGradient(true);
        NDArray labels = manager.create(LABELS, new Shape(B, T));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(CausalLmLoss.mean(logits, labels));
        }
        float[] grad;
        try (NDArray g = logits.getGradient()) {
            grad = g.toFloatArray();
        }
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int offset = (b * T + t) * V;
                long y = t + 1 < T ? LABELS[b * T + t + 1] : I;
                double lse = logSumExp(z, offset);
                for (int v = 0; v < V; v++) {
                    double expected = y == I ? 0 : (Math.exp(z[offset + v] - lse) - (v == y ? 1 : 0)) / 4;
                    assertEquals(expected, grad[offset + v], 1e-6, "d loss / d logits[" + b + ", " + t + ", " + v + "]");
                }
            }
        }
    }

    @Test
    void labelsOfAnyIntegerTypeAndNoTargetsAreHandled() {
        NDArray logits = manager.create(logitValues(), new Shape(B, T, V));
        NDArray labels32 = manager.create(LABELS, new Shape(B, T)).toType(DataType.INT32, false);
        assertEquals(4, CausalLmLoss.sum(logits, labels32).count());
        NDArray none = manager.full(new Shape(B, T), -100f, DataType.INT64);
        LossSum empty = CausalLmLoss.sum(logits, none);
        assertEquals(0, empty.count());
        assertEquals(0f, empty.sum().getFloat());
        assertArrayEquals(new float[] {0f, 0f}, CausalLmLoss.sequenceLogProbs(logits, none).toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CausalLmLoss.mean(logits, none));
        assertTrue(e.getMessage().contains("no target token"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> CausalLmLoss.sum(logits, manager.zeros(new Shape(B, T + 1), DataType.INT64)));
        assertTrue(shape.getMessage().contains("(2, 5)"), shape.getMessage());
    }
}
