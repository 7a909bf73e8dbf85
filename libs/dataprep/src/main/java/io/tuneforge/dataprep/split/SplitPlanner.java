package io.tuneforge.dataprep.split;

import io.tuneforge.dataprep.dedup.DedupKeys;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which kept records go to eval, deterministically from a seed and the records themselves.
 *
 * <p>Each record gets a rank: the first 8 bytes of {@code SHA-256(seed ‖ record digest)}, the digest being the
 * record's exact-duplicate key ({@link DedupKeys#exactDigest}). The eval split is the {@code E} records of lowest
 * rank ({@code E} = the eval count, or {@code round(ratio · n)} capped at {@code n - 1}); ties — only possible for
 * records of equal content — go by input order. So the same records and seed always give the same split, whatever
 * the thread count, and a record's fate does not depend on which other records are in the file except through
 * {@code E}. With stratification, {@code E} is shared among the {@code source} labels in proportion to their sizes
 * (largest remainder; ties by label) and each label's eval records are its lowest ranks.
 *
 * <p>Memory: 12 bytes per kept record (rank and label id), plus a sorted copy of one group's ranks while planning.
 */
public final class SplitPlanner {

    private final Map<String, Integer> strataIds = new HashMap<>();
    private final List<String> strataNames = new ArrayList<>();
    private long[] ranks = new long[1024];
    private int[] strata = new int[1024];
    private int size;

    /** The rank of a record with digest {@code digest} under {@code seed}. */
    public static long rank(long seed, byte[] digest) {
        MessageDigest sha = DedupKeys.sha256();
        sha.update(ByteBuffer.allocate(8).putLong(seed).array());
        sha.update(digest);
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** Adds the next kept record (index = number of records added before it). */
    public void add(long rank, String stratum) {
        if (size == ranks.length) {
            ranks = Arrays.copyOf(ranks, size * 2);
            strata = Arrays.copyOf(strata, size * 2);
        }
        String label = stratum == null ? "" : stratum;
        Integer id = strataIds.get(label);
        if (id == null) {
            id = strataNames.size();
            strataIds.put(label, id);
            strataNames.add(label);
        }
        ranks[size] = rank;
        strata[size] = id;
        size++;
    }

    public int size() {
        return size;
    }

    /**
     * The indices of the eval records.
     *
     * @param evalCount  the exact number of eval records, or null to use {@code evalRatio}
     * @param evalRatio  share of eval records in [0, 1)
     * @param stratified share the eval records among source labels
     * @throws IllegalArgumentException when {@code evalCount} leaves no training record
     */
    public BitSet plan(Integer evalCount, double evalRatio, boolean stratified) {
        int total;
        if (evalCount != null) {
            if (evalCount > 0 && evalCount >= size) {
                throw new IllegalArgumentException("eval count " + evalCount + " leaves no training records: only "
                        + size + " records passed every check; use a count below " + size + " or an eval ratio");
            }
            total = evalCount;
        } else {
            total = (int) Math.min(Math.round(evalRatio * size), Math.max(0, size - 1));
        }
        BitSet eval = new BitSet(size);
        if (total == 0) {
            return eval;
        }
        if (!stratified || strataNames.size() == 1) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            select(all, total, eval);
            return eval;
        }
        int[] counts = new int[strataNames.size()];
        for (int i = 0; i < size; i++) {
            counts[strata[i]]++;
        }
        int[] quotas = quotas(counts, total);
        int[][] members = new int[counts.length][];
        int[] filled = new int[counts.length];
        for (int s = 0; s < counts.length; s++) {
            members[s] = new int[counts[s]];
        }
        for (int i = 0; i < size; i++) {
            members[strata[i]][filled[strata[i]]++] = i;
        }
        for (int s = 0; s < counts.length; s++) {
            select(members[s], quotas[s], eval);
        }
        return eval;
    }

    /** Eval records per source label, by the largest remainder method. */
    private int[] quotas(int[] counts, int total) {
        int[] quotas = new int[counts.length];
        double[] remainders = new double[counts.length];
        int given = 0;
        for (int s = 0; s < counts.length; s++) {
            double exact = (double) total * counts[s] / size;
            quotas[s] = (int) Math.floor(exact);
            remainders[s] = exact - quotas[s];
            given += quotas[s];
        }
        Integer[] order = new Integer[counts.length];
        for (int s = 0; s < order.length; s++) {
            order[s] = s;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(s -> -remainders[s])
                .thenComparing(s -> strataNames.get(s)));
        for (int k = 0; given < total; k++) {
            int s = order[k % order.length];
            if (quotas[s] < counts[s]) {
                quotas[s]++;
                given++;
            }
        }
        return quotas;
    }

    /** Marks the {@code k} members of lowest rank (ties by index) in {@code eval}. */
    private void select(int[] members, int k, BitSet eval) {
        if (k <= 0) {
            return;
        }
        long[] sorted = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            sorted[i] = ranks[members[i]];
        }
        Arrays.sort(sorted);
        long cutoff = sorted[k - 1];
        int below = 0;
        for (long r : sorted) {
            if (r < cutoff) {
                below++;
            } else {
                break;
            }
        }
        int atCutoff = k - below;
        for (int index : members) {   // members are in input order
            long r = ranks[index];
            if (r < cutoff) {
                eval.set(index);
            } else if (r == cutoff && atCutoff > 0) {
                eval.set(index);
                atCutoff--;
            }
        }
    }

    /** The index into {@link #strata()} of record {@code index}'s source label. */
    public int stratum(int index) {
        return strata[index];
    }

    /** The source labels seen, in order of first appearance ("" for records without one). */
    public List<String> strata() {
        return List.copyOf(strataNames);
    }
}
