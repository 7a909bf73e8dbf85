package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.TokenizedExample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packed rows: each example's logits equal those of the example run alone. */
class PackedForwardTest extends TinyModelFixture {

    static long[] tokens(int n, int seed) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i * 37L + seed * 101L + 5) % 259;
        }
        return out;
    }

    static TokenizedExample example(int n, int seed) {
        long[] ids = tokens(n, seed);
        return new TokenizedExample(ids, ids.clone(), false);
    }

    /** Logits (1, n, V) of one example alone, through the plain 3-argument forward. */
    NDArray alone(TokenizedExample e) {
        return model.forward(manager.create(e.inputIds(), new Shape(1, e.length())), null, null);
    }

    @Test
    void packedExamplesGiveTheLogitsOfEachExampleAlone() {
        TokenizedExample a = example(7, 1);
        TokenizedExample b = example(5, 2);
        TokenizedExample c = example(9, 3);
        BatchCollator collator = new BatchCollator(256, true, 16);
        // Row 0: a then b (12 tokens); row 1: c, padded to 12.
        try (Batch batch = collator.collateRows(List.of(List.of(a, b), List.of(c)), manager)) {
            NDArray packed = model.forward(batch.inputIds(), batch.attentionMask(), null, batch.positionIds(),
                    batch.segmentIds());                                                     // (2, 12, V)
            assertEquals(new Shape(2, 12, 320), packed.getShape());
            double worst = Math.max(Math.max(
                    maxAbsDiff(packed.get(new NDIndex("0:1, 0:7, :")), alone(a)),
                    maxAbsDiff(packed.get(new NDIndex("0:1, 7:12, :")), alone(b))),
                    maxAbsDiff(packed.get(new NDIndex("1:2, 0:9, :")), alone(c)));
            assertTrue(worst <= 1e-5, "packed vs alone max |Δlogit| = " + worst);
        }
    }

    @Test
    void withoutSegmentsTheSecondExampleWouldSeeTheFirst() {
        TokenizedExample a = example(7, 1);
        TokenizedExample b = example(5, 2);
        try (Batch batch = new BatchCollator(256, true, 16).collateRows(List.of(List.of(a, b)), manager)) {
            NDArray leaky = model.forward(batch.inputIds(), batch.attentionMask(), null, batch.positionIds(), null);
            double diff = maxAbsDiff(leaky.get(new NDIndex("0:1, 7:12, :")), alone(b));
            assertTrue(diff > 1e-3, "cross-example attention should change b's logits; max |Δ| = " + diff);
            // The first example sees nothing before it either way.
            assertTrue(maxAbsDiff(leaky.get(new NDIndex("0:1, 0:7, :")), alone(a)) <= 1e-5);
        }
    }

    @Test
    void explicitPositionsMatchTheDerivedOnes() {
        long[] ids = tokens(6, 4);
        NDArray input = manager.create(ids, new Shape(1, 6));
        NDArray positions = manager.arange(0, 6, 1, DataType.INT64).reshape(1, 6);
        NDArray segments = manager.ones(new Shape(1, 6), DataType.INT64);
        double diff = maxAbsDiff(model.forward(input, null, null, positions, segments),
                model.forward(input, null, null));
        assertEquals(0.0, diff, 1e-6);
    }

    @Test
    void refusesSegmentsWithACacheAndPositionsOutsideTheTable() {
        NDArray input = manager.create(new long[] {1, 2, 3}, new Shape(1, 3));
        NDArray segments = manager.ones(new Shape(1, 3), DataType.INT64);
        try (KvCache cache = model.newCache(1, 8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(input, null, cache, null, segments));
            assertTrue(e.getMessage().contains("KvCache"), e.getMessage());
        }
        NDArray far = manager.create(new long[] {0, 1, 512}, new Shape(1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(input, null, null, far, segments));
        assertTrue(e.getMessage().contains("[0, 512]") && e.getMessage().contains("max_position_embeddings"),
                e.getMessage());
        NDArray wrongShape = manager.ones(new Shape(1, 2), DataType.INT64);
        assertThrows(IllegalArgumentException.class, () -> model.forward(input, null, null, null, wrongShape));
    }
}
