package io.tuneforge.tuning.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example once per epoch, seeded order, steps within epochs, packing within maxSeqLength. */
class TrainingPlanTest {

    @Test
    void coversEveryExampleOncePerEpochInASeededOrder() {
        int[] lengths = new int[10];
        java.util.Arrays.fill(lengths, 20);
        TrainingPlan plan = TrainingPlan.of(lengths, 42, 2, 3, 2, false, 64);
        // 10 examples / 3 per micro-batch = 4 micro-batches (3,3,3,1) → steps of 2: (2, 2) per epoch
        assertEquals(4, plan.microBatchesInEpoch(0));
        assertEquals(4, plan.totalSteps());
        assertEquals(new TrainingPlan.Slice(0, 2, 2), plan.step(1));
        assertEquals(new TrainingPlan.Slice(1, 0, 2), plan.step(2));
        assertEquals(0.5, plan.epochAfter(0), 1e-12);
        assertEquals(2.0, plan.epochAfter(3), 1e-12);
        List<Integer> epoch0 = examples(plan, 0);
        List<Integer> epoch1 = examples(plan, 1);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch0.stream().sorted().toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch1.stream().sorted().toList());
        assertNotEquals(epoch0, epoch1, "each epoch has its own order");
        assertEquals(epoch0, examples(TrainingPlan.of(lengths, 42, 2, 3, 2, false, 64), 0), "same seed, same order");
        assertNotEquals(epoch0, examples(TrainingPlan.of(lengths, 43, 2, 3, 2, false, 64), 0));
    }

    @Test
    void lastStepOfAnEpochMayBeShort() {
        int[] lengths = new int[5];
        java.util.Arrays.fill(lengths, 8);
        TrainingPlan plan = TrainingPlan.of(lengths, 1, 1, 1, 4, false, 64);
        assertEquals(2, plan.totalSteps());
        assertEquals(new TrainingPlan.Slice(0, 4, 1), plan.step(1));
    }

    @Test
    void packingFillsRowsUpToMaxSeqLength() {
        int[] lengths = {30, 30, 30, 30, 50, 10, 20, 40};
        TrainingPlan plan = TrainingPlan.of(lengths, 3, 1, 2, 1, true, 64);
        int examples = 0;
        for (int mb = 0; mb < plan.microBatchesInEpoch(0); mb++) {
            for (List<Integer> row : plan.microBatch(0, mb)) {
                int tokens = row.stream().mapToInt(i -> lengths[i]).sum();
                assertTrue(tokens <= 64, "row " + row + " holds " + tokens + " tokens");
                examples += row.size();
            }
        }
        assertEquals(8, examples);
        assertTrue(plan.microBatchesInEpoch(0) < 4, "8 examples of 240 tokens need ≥ 4 rows of 64, 2 per micro-batch");
    }

    private static List<Integer> examples(TrainingPlan plan, int epoch) {
        List<Integer> out = new ArrayList<>();
        for (int mb = 0; mb < plan.microBatchesInEpoch(epoch); mb++) {
            plan.microBatch(epoch, mb).forEach(out::addAll);
        }
        return out;
    }
}
