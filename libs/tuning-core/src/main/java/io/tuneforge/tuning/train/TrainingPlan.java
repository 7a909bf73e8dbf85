package io.tuneforge.tuning.train;

import io.tuneforge.tuning.data.SequencePacker;
import io.tuneforge.tuning.data.SftDataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a run walks its data, fixed before the first step so that the schedule knows the total and
 * a resumed run takes exactly the batches the interrupted one would have:
 *
 * <pre>
 * 1) per epoch e, the seeded order  SftDataset.shuffledOrder(N, seed, e)
 * 2) rows: one example each, or (packing) SequencePacker's best fit over the ordered lengths
 * 3) micro-batches: consecutive groups of batchSize rows (the last may be smaller)
 * 4) optimizer steps: consecutive groups of gradientAccumulation micro-batches within an epoch
 *    (the last step of an epoch may have fewer; its loss is still normalised by its own tokens)
 * </pre>
 *
 * A position in the plan is (epoch, index of the next micro-batch in it).
 */
public final class TrainingPlan {

    private final int datasetSize;
    private final long seed;
    private final int batchSize;
    private final int gradientAccumulation;
    private final List<List<List<List<Integer>>>> epochs; // epoch → micro-batch → row → example indices
    private final List<Slice> steps;

    /**
     * The micro-batches of one optimizer step.
     *
     * @param epoch 0-based epoch
     * @param firstMicroBatch index of its first micro-batch within the epoch
     * @param microBatches how many it takes
     */
    public record Slice(int epoch, int firstMicroBatch, int microBatches) {
    }

    private TrainingPlan(int datasetSize, long seed, int batchSize, int gradientAccumulation,
                         List<List<List<List<Integer>>>> epochs) {
        this.datasetSize = datasetSize;
        this.seed = seed;
        this.batchSize = batchSize;
        this.gradientAccumulation = gradientAccumulation;
        this.epochs = epochs;
        List<Slice> s = new ArrayList<>();
        for (int e = 0; e < epochs.size(); e++) {
            int n = epochs.get(e).size();
            for (int first = 0; first < n; first += gradientAccumulation) {
                s.add(new Slice(e, first, Math.min(gradientAccumulation, n - first)));
            }
        }
        this.steps = Collections.unmodifiableList(s);
    }

    /**
     * @param lengths token count of every example (SftDataset.lengths())
     * @param packing whether rows hold several examples (up to {@code maxSeqLength} tokens)
     */
    public static TrainingPlan of(int[] lengths, long seed, int epochs, int batchSize, int gradientAccumulation,
                                  boolean packing, int maxSeqLength) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("the training set is empty; nothing to plan");
        }
        if (epochs < 1 || batchSize < 1 || gradientAccumulation < 1) {
            throw new IllegalArgumentException("epochs = " + epochs + ", batchSize = " + batchSize
                    + ", gradientAccumulation = " + gradientAccumulation + " must all be >= 1");
        }
        List<List<List<List<Integer>>>> all = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            int[] order = SftDataset.shuffledOrder(lengths.length, seed, e);                     // 1)
            List<List<Integer>> rows = new ArrayList<>();
            if (packing) {                                                                       // 2)
                int[] ordered = new int[order.length];
                for (int i = 0; i < order.length; i++) {
                    ordered[i] = lengths[order[i]];
                }
                for (List<Integer> row : SequencePacker.pack(ordered, maxSeqLength)) {
                    rows.add(row.stream().map(i -> order[i]).toList());
                }
            } else {
                for (int i : order) {
                    rows.add(List.of(i));
                }
            }
            List<List<List<Integer>>> micro = new ArrayList<>();
            for (int r = 0; r < rows.size(); r += batchSize) {                                  // 3)
                micro.add(List.copyOf(rows.subList(r, Math.min(rows.size(), r + batchSize))));
            }
            all.add(Collections.unmodifiableList(micro));
        }
        return new TrainingPlan(lengths.length, seed, batchSize, gradientAccumulation, Collections.unmodifiableList(all));
    }

    /** Optimizer steps of the whole run. */
    public int totalSteps() {
        return steps.size();
    }

    /** The micro-batches of optimizer step {@code index} (0-based). */
    public Slice step(long index) {
        if (index < 0 || index >= steps.size()) {
            throw new IllegalArgumentException("step index " + index + " is outside the plan's 0.." + (steps.size() - 1));
        }
        return steps.get((int) index);
    }

    /** Rows (lists of example indices) of micro-batch {@code index} of {@code epoch}. */
    public List<List<Integer>> microBatch(int epoch, int index) {
        return epochs.get(epoch).get(index);
    }

    public int epochs() {
        return epochs.size();
    }

    public int microBatchesInEpoch(int epoch) {
        return epochs.get(epoch).size();
    }

    /** Fractional epochs done once step {@code index} (0-based) has finished. */
    public double epochAfter(long index) {
        Slice s = step(index);
        return s.epoch() + (double) (s.firstMicroBatch() + s.microBatches()) / microBatchesInEpoch(s.epoch());
    }

    public int datasetSize() {
        return datasetSize;
    }

    public long seed() {
        return seed;
    }

    public int batchSize() {
        return batchSize;
    }

    public int gradientAccumulation() {
        return gradientAccumulation;
    }
}
