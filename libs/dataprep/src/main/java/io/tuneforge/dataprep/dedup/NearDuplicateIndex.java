package io.tuneforge.dataprep.dedup;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Near-duplicate detection in one pass, first occurrence kept: each record's MinHash signature is looked up among
 * the records kept so far through LSH bands ({@link LshParameters}); every candidate is verified by the share of
 * equal signature positions (the Jaccard estimate); the most similar candidate at or above the threshold (earliest
 * on a tie) makes the record a near duplicate of it. Otherwise the record is kept and its bands are indexed.
 *
 * <p>Memory per kept record: 8 bytes (its line) + per band 4 bytes (the entry's link to the next one in its bucket;
 * entry {@code id · bands + band} belongs to record {@code id}, so the record id is not stored) + 8 bytes per bucket
 * slot (int key, int head) at most {@value #MAX_LOAD_PERCENT}% full — about 170–300 bytes with 11 bands, depending
 * on where the power-of-two table stands; arrays grow by half, not double, so a growth step copies less.
 * Signatures live in a temporary file ({@link SignatureStore}, 4·k bytes each). Buckets are walked newest first and at most
 * {@value #MAX_CANDIDATES} candidates are verified per record, which bounds the time spent on pathological inputs
 * (thousands of records sharing a template).
 */
public final class NearDuplicateIndex implements Closeable {

    static final int MAX_CANDIDATES = 512;
    /** Bucket table load at which it doubles; linear probing on well-mixed 32-bit keys stays short at 3/4. */
    static final int MAX_LOAD_PERCENT = 75;

    /** A near duplicate: the kept record it resembles and the estimated Jaccard similarity. */
    public record Match(long keptLine, double similarity) {
    }

    private final double threshold;
    private final LshParameters lsh;
    private final SignatureStore signatures;
    private final int[] candidate;
    private long[] lines = new long[1024];
    private int records;

    // bucket table: key (band hash) → head entry + 1 (0 = empty)
    private int[] keys = new int[1 << 12];
    private int[] heads = new int[1 << 12];
    private int used;
    // entries: one per (record, band), entry id·bands + band; each holds the next entry of its bucket + 1 (0 = end)
    private int[] entryNext = new int[1 << 12];
    private int entries;

    public NearDuplicateIndex(double threshold, int numPermutations, LshParameters lsh, Path tempDir) {
        if (lsh.bands() * lsh.rows() > numPermutations) {
            throw new IllegalArgumentException(lsh.bands() + " bands x " + lsh.rows() + " rows need more than "
                    + numPermutations + " permutations");
        }
        this.threshold = threshold;
        this.lsh = lsh;
        this.signatures = new SignatureStore(tempDir, numPermutations);
        this.candidate = new int[numPermutations];
    }

    /**
     * The kept record {@code signature} nearly duplicates, or null — in which case the record is kept: its signature
     * and bands are added under {@code line}.
     */
    public Match checkAndAdd(int[] signature, long line) {
        int[] bandKeys = new int[lsh.bands()];
        for (int band = 0; band < bandKeys.length; band++) {
            bandKeys[band] = bandKey(signature, band);
        }
        int[] seen = new int[16];
        int seenCount = 0;
        int verified = 0;
        int best = -1;
        double bestSimilarity = -1;
        search:
        for (int key : bandKeys) {
            int slot = find(key);
            for (int e = heads[slot] - 1; e >= 0; e = entryNext[e] - 1) {
                int id = e / bandKeys.length;
                boolean already = false;
                for (int i = 0; i < seenCount; i++) {
                    if (seen[i] == id) {
                        already = true;
                        break;
                    }
                }
                if (already) {
                    continue;
                }
                if (seenCount == seen.length) {
                    seen = Arrays.copyOf(seen, seen.length * 2);
                }
                seen[seenCount++] = id;
                double similarity = MinHasher.similarity(signature, signatures.get(id, candidate));
                if (similarity >= threshold && (similarity > bestSimilarity
                        || (similarity == bestSimilarity && id < best))) {
                    best = id;
                    bestSimilarity = similarity;
                }
                if (++verified >= MAX_CANDIDATES) {
                    break search;
                }
            }
        }
        if (best >= 0) {
            return new Match(lines[best], bestSimilarity);
        }
        add(signature, line, bandKeys);
        return null;
    }

    /** Records kept so far. */
    public int size() {
        return records;
    }

    public LshParameters lsh() {
        return lsh;
    }

    private void add(int[] signature, long line, int[] bandKeys) {
        int id = signatures.add(signature);
        if (id >= lines.length) {
            lines = Arrays.copyOf(lines, grown(lines.length));
        }
        lines[id] = line;
        records++;
        for (int key : bandKeys) {
            if (entries == entryNext.length) {
                entryNext = Arrays.copyOf(entryNext, grown(entries));
            }
            int slot = find(key);
            if (heads[slot] == 0) {
                keys[slot] = key;
                used++;
            }
            entryNext[entries] = heads[slot];
            heads[slot] = ++entries;
            if (used * 100L > (long) keys.length * MAX_LOAD_PERCENT) {
                rehash();
            }
        }
    }

    private static int grown(int length) {
        return length + (length >> 1);
    }

    /** Bytes of heap the index's arrays take now (lines, bucket table, entries); signatures are on disk. */
    public long heapBytes() {
        return 8L * lines.length + 4L * keys.length + 4L * heads.length + 4L * entryNext.length;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(int key) {
        int mask = keys.length - 1;
        int h = key * 0x9E3779B9;
        int slot = (h ^ (h >>> 16)) & mask;
        while (heads[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void rehash() {
        int[] oldKeys = keys;
        int[] oldHeads = heads;
        keys = new int[oldKeys.length * 2];
        heads = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldHeads[i] != 0) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                heads[slot] = oldHeads[i];
            }
        }
    }

    /** A 32-bit hash of band {@code band}'s rows, seeded with the band number (a rare cross-band clash only adds a candidate). */
    private int bandKey(int[] signature, int band) {
        long h = 0x9E3779B97F4A7C15L * (band + 1);
        int from = band * lsh.rows();
        for (int i = from; i < from + lsh.rows(); i++) {
            h = (h ^ (signature[i] & 0xffffffffL)) * 0x100000001B3L;
        }
        return (int) MinHasher.mix64(h);
    }

    @Override
    public void close() {
        signatures.close();
    }
}
