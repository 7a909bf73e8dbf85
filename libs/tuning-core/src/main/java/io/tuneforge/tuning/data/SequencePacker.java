package io.tuneforge.tuning.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups examples into packed rows of at most {@code capacity} tokens (Krell et al. 2021,
 * "Efficient Sequence Packing without Cross-contamination"): best fit in the given order — each
 * example goes into the open row with the least room that still fits it, else a new row. Rows
 * come out in the order they were opened, so a shuffled input gives shuffled rows, and the same
 * input gives the same rows everywhere. O(n log n).
 */
public final class SequencePacker {

    private SequencePacker() {
    }

    /**
     * @param lengths token count of each example, in the order to pack
     * @param capacity most tokens per row (maxSeqLength)
     * @return rows, each a list of indices into {@code lengths}, in input order within the row
     * @throws IllegalArgumentException when a length is not in [1, capacity]
     */
    public static List<List<Integer>> pack(int[] lengths, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity = " + capacity + " must be >= 1");
        }
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> room = new ArrayList<>();
        TreeMap<Integer, Deque<Integer>> byRoom = new TreeMap<>(); // room left → rows with it (oldest first)
        for (int i = 0; i < lengths.length; i++) {
            int length = lengths[i];
            if (length < 1 || length > capacity) {
                throw new IllegalArgumentException("example " + i + " has " + length + " tokens; packing needs 1.."
                        + capacity + " (maxSeqLength)");
            }
            Map.Entry<Integer, Deque<Integer>> fit = byRoom.ceilingEntry(length);
            int row;
            if (fit == null) {
                row = rows.size();
                rows.add(new ArrayList<>());
                room.add(capacity);
            } else {
                row = fit.getValue().pollFirst();
                if (fit.getValue().isEmpty()) {
                    byRoom.remove(fit.getKey());
                }
            }
            rows.get(row).add(i);
            int left = room.get(row) - length;
            room.set(row, left);
            if (left > 0) {
                byRoom.computeIfAbsent(left, k -> new ArrayDeque<>()).addLast(row);
            }
        }
        return rows;
    }
}
