package io.tuneforge.tuning.generate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSamplerTest {

    private static final double EPS = 1e-12;

    private static float[] logitsOf(double... probs) {
        float[] logits = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            logits[i] = (float) Math.log(probs[i]);
        }
        return logits;
    }

    private static double[] softmax(double... x) {
        double sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @Test
    void temperatureScalesLogitsBeforeSoftmax() {
        float[] logits = {1, 2, 3};
        assertArrayEquals(softmax(1, 2, 3), TokenSampler.probabilities(logits, 0, 3, 1.0, 0, 1.0), EPS);
        assertArrayEquals(softmax(2, 4, 6), TokenSampler.probabilities(logits, 0, 3, 0.5, 0, 1.0), EPS);
        assertArrayEquals(softmax(0.5, 1, 1.5), TokenSampler.probabilities(logits, 0, 3, 2.0, 0, 1.0), EPS);
    }

    @Test
    void offsetSelectsTheRow() {
        float[] twoRows = {9, 9, 9, 1, 2, 3};
        assertArrayEquals(softmax(1, 2, 3), TokenSampler.probabilities(twoRows, 3, 3, 1.0, 0, 1.0), EPS);
        assertEquals(2, TokenSampler.argmax(twoRows, 3, 3));
    }

    @Test
    void topKKeepsTheKLargestAndTheirTies() {
        float[] logits = {1, 3, 2, 0};
        double[] top2 = softmax(3, 2);
        assertArrayEquals(new double[] {0, top2[0], top2[1], 0},
                TokenSampler.probabilities(logits, 0, 4, 1.0, 2, 1.0), EPS);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0},
                TokenSampler.probabilities(new float[] {1, 2, 2, 0}, 0, 4, 1.0, 1, 1.0), EPS);
        assertArrayEquals(softmax(1, 3, 2, 0), TokenSampler.probabilities(logits, 0, 4, 1.0, 4, 1.0), EPS);
    }

    @Test
    void topPKeepsTheSmallestSetThatReachesP() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        assertArrayEquals(new double[] {0.625, 0.375, 0, 0},
                TokenSampler.probabilities(logits, 0, 4, 1.0, 0, 0.7), 1e-6);
        assertArrayEquals(new double[] {1, 0, 0, 0}, TokenSampler.probabilities(logits, 0, 4, 1.0, 0, 0.5), 1e-6);
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0},
                TokenSampler.probabilities(logits, 0, 4, 1.0, 0, 0.81), 1e-6);
        assertArrayEquals(new double[] {1, 0, 0, 0}, TokenSampler.probabilities(logits, 0, 4, 1.0, 0, 0.01), 1e-6);
    }

    @Test
    void topKAppliesBeforeTopP() {
        // top-k=3 leaves 0.5, 0.3, 0.15 → renormalised 0.526, 0.316, 0.158; top-p 0.8 then keeps the first two.
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        assertArrayEquals(new double[] {0.625, 0.375, 0, 0},
                TokenSampler.probabilities(logits, 0, 4, 1.0, 3, 0.8), 1e-6);
    }

    @Test
    void nucleusMatchesAPlainFullSortOnRandomDistributions() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int vocab = 1 + random.nextInt(2000);
            float[] logits = new float[vocab];
            double spread = 0.1 + random.nextDouble() * 8;
            for (int i = 0; i < vocab; i++) {
                logits[i] = (float) (random.nextGaussian() * spread);
            }
            double topP = 0.05 + random.nextDouble() * 0.95;
            double[] actual = TokenSampler.probabilities(logits, 0, vocab, 1.0, 0, topP);
            double[] expected = naiveTopP(TokenSampler.probabilities(logits, 0, vocab, 1.0, 0, 1.0), topP);
            assertArrayEquals(expected, actual, 1e-12, "trial " + trial + " vocab " + vocab + " topP " + topP);
        }
    }

    private static double[] naiveTopP(double[] probs, double topP) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -probs[i]).thenComparingInt(i -> i));
        double[] kept = new double[probs.length];
        double cumulative = 0;
        double sum = 0;
        for (int i : order) {
            kept[i] = probs[i];
            sum += probs[i];
            cumulative += probs[i];
            if (cumulative >= topP) {
                break;
            }
        }
        for (int i = 0; i < kept.length; i++) {
            kept[i] /= sum;
        }
        return kept;
    }

    @Test
    void drawWalksTheCumulativeDistributionAndSkipsZeros() {
        double[] probs = {0.25, 0, 0.75};
        assertEquals(0, TokenSampler.draw(probs, 0.0));
        assertEquals(0, TokenSampler.draw(probs, 0.2499));
        assertEquals(2, TokenSampler.draw(probs, 0.25));
        assertEquals(2, TokenSampler.draw(probs, 0.999999));
    }

    @Test
    void samplingFrequenciesFollowTheDistributionAndRepeatWithTheSeed() {
        GenerationConfig config = GenerationConfig.sampling(1, 1.0, 0, 1.0, 42);
        float[] logits = logitsOf(0.2, 0.5, 0.3);
        SplittableRandom first = new SplittableRandom(config.seed());
        SplittableRandom second = new SplittableRandom(config.seed());
        int[] counts = new int[3];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            int a = TokenSampler.next(logits, 0, 3, config, first);
            assertEquals(a, TokenSampler.next(logits, 0, 3, config, second));
            counts[a]++;
        }
        assertEquals(0.2, counts[0] / (double) draws, 0.015);
        assertEquals(0.5, counts[1] / (double) draws, 0.015);
        assertEquals(0.3, counts[2] / (double) draws, 0.015);
    }

    @Test
    void greedyIsArgmaxWithFirstIndexOnTies() {
        GenerationConfig greedy = GenerationConfig.greedy(1);
        assertEquals(1, TokenSampler.next(new float[] {0, 5, 5, -1}, 0, 4, greedy, new SplittableRandom(1)));
        assertEquals(0, TokenSampler.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenSampler.argmax(new float[] {0, Float.NaN}, 0, 2));
        assertTrue(e.getMessage().contains("logit 1 is NaN"), e.getMessage());
    }

    @Test
    void configRefusesValuesOutsideTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(0, 1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(5, -1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(5, 1, -1, 1, 0));
        IllegalArgumentException topP = assertThrows(IllegalArgumentException.class,
                () -> GenerationConfig.sampling(5, 1, 0, 0, 0));
        assertEquals("topP must be in (0, 1] (1 = off), got 0.0", topP.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(5).withStopStrings(List.of("")));
    }
}
