package io.tuneforge.tuning.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Right padding, masks, label masking on padding and example starts, token counts, packing layout. */
class BatchCollatorTest {

    static final long I = IGNORE_INDEX;
    static final int PAD = 256;

    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** ids 1..n-ish with labels on the last {@code targets} positions. */
    static TokenizedExample example(long[] ids, int targets) {
        long[] labels = new long[ids.length];
        for (int t = 0; t < ids.length; t++) {
            labels[t] = t >= ids.length - targets ? ids[t] : I;
        }
        return new TokenizedExample(ids, labels, false);
    }

    @Test
    void padsRightToTheLongestRowAndMasksPadding() {
        TokenizedExample a = example(new long[] {10, 11, 12, 13, 14}, 2);
        TokenizedExample b = example(new long[] {20, 21, 22}, 1);
        try (Batch batch = new BatchCollator(PAD, false, 16).collate(List.of(a, b), manager)) {
            assertEquals(new Shape(2, 5), batch.inputIds().getShape());
            assertArrayEquals(new long[] {10, 11, 12, 13, 14, 20, 21, 22, PAD, PAD}, batch.inputIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, batch.attentionMask().toLongArray());
            assertArrayEquals(new long[] {I, I, I, 13, 14, I, I, 22, I, I}, batch.labels().toLongArray());
            assertEquals(8, batch.tokens());
            assertEquals(3, batch.targetTokens());
            assertEquals(2, batch.examples());
            assertFalse(batch.packed());
            assertNull(batch.positionIds());
            assertNull(batch.segmentIds());
        }
    }

    @Test
    void firstTokenOfAnExampleIsNeverATarget() {
        TokenizedExample all = new TokenizedExample(new long[] {5, 6, 7}, new long[] {5, 6, 7}, false);
        try (Batch batch = new BatchCollator(PAD, false, 16).collate(List.of(all), manager)) {
            assertArrayEquals(new long[] {I, 6, 7}, batch.labels().toLongArray());
            assertEquals(2, batch.targetTokens());
        }
    }

    @Test
    void padsToAMultipleWhenAsked() {
        TokenizedExample a = example(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3);
        try (Batch batch = new BatchCollator(PAD, false, 32, 8).collate(List.of(a), manager)) {
            assertEquals(16, batch.sequenceLength());
            assertEquals(9, batch.attentionMask().sum().getLong());
            assertEquals(9, batch.tokens());
        }
    }

    @Test
    void packedRowsRestartPositionsAndNumberSegments() {
        TokenizedExample a = example(new long[] {10, 11, 12}, 1);
        TokenizedExample b = example(new long[] {20, 21}, 2);
        TokenizedExample c = example(new long[] {30, 31, 32, 33}, 2);
        // capacity 6: a (3) and b (2) share row 0 (room 1 left), c (4) opens row 1.
        try (Batch batch = new BatchCollator(PAD, true, 6).collate(List.of(a, b, c), manager)) {
            assertEquals(new Shape(2, 5), batch.inputIds().getShape());
            assertArrayEquals(new long[] {10, 11, 12, 20, 21, 30, 31, 32, 33, PAD}, batch.inputIds().toLongArray());
            assertArrayEquals(new long[] {0, 1, 2, 0, 1, 0, 1, 2, 3, 0}, batch.positionIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 2, 2, 1, 1, 1, 1, 0}, batch.segmentIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, batch.attentionMask().toLongArray());
            // b's first label (20) would be predicted from a's last token: masked.
            assertArrayEquals(new long[] {I, I, 12, I, 21, I, I, 32, 33, I}, batch.labels().toLongArray());
            assertEquals(9, batch.tokens());
            assertEquals(4, batch.targetTokens());
            assertEquals(3, batch.examples());
            assertTrue(batch.packed());
        }
    }

    @Test
    void refusesRowsLongerThanMaxSeqLengthAndSharedRowsWithoutPacking() {
        TokenizedExample a = example(new long[] {1, 2, 3, 4}, 1);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> new BatchCollator(PAD, false, 3).collate(List.of(a), manager));
        assertTrue(tooLong.getMessage().contains("maxSeqLength = 3"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BatchCollator(PAD, false, 16).collateRows(List.of(List.of(a, a)), manager));
        assertThrows(IllegalArgumentException.class, () -> new BatchCollator(PAD, false, 16, 0));
    }

    @Test
    void packerFillsRowsBestFitInOrder() {
        assertEquals(List.of(List.of(0, 3), List.of(1, 2), List.of(4)),
                SequencePacker.pack(new int[] {5, 7, 3, 3, 8}, 10));
        // every index once, no row over capacity
        int[] lengths = {4, 9, 1, 6, 6, 2, 10, 3, 3, 5, 7, 1};
        List<List<Integer>> rows = SequencePacker.pack(lengths, 10);
        assertEquals(lengths.length, rows.stream().mapToInt(List::size).sum());
        for (List<Integer> row : rows) {
            assertTrue(row.stream().mapToInt(i -> lengths[i]).sum() <= 10, row.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequencePacker.pack(new int[] {3, 11}, 10));
        assertTrue(e.getMessage().contains("example 1 has 11 tokens"), e.getMessage());
    }
}
