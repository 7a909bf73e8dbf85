package io.tuneforge.tuning.metrics;

import java.util.Arrays;

/**
 * The sufficient statistics of BLEU-4: for n = 1..4 the clipped n-gram matches and the
 * prediction's n-grams, plus the prediction's length and the (closest) reference length. Corpus
 * BLEU adds them over all segments; nothing else needs to be kept (evaluation streams).
 */
public final class BleuStats {

    /** BLEU-4. */
    public static final int MAX_ORDER = 4;

    private final long[] correct = new long[MAX_ORDER];
    private final long[] total = new long[MAX_ORDER];
    private long hypLength;
    private long refLength;

    public BleuStats() {
    }

    BleuStats(long[] correct, long[] total, long hypLength, long refLength) {
        System.arraycopy(correct, 0, this.correct, 0, MAX_ORDER);
        System.arraycopy(total, 0, this.total, 0, MAX_ORDER);
        this.hypLength = hypLength;
        this.refLength = refLength;
    }

    /** Adds another segment's (or corpus') statistics to these. */
    public BleuStats add(BleuStats other) {
        for (int n = 0; n < MAX_ORDER; n++) {
            correct[n] += other.correct[n];
            total[n] += other.total[n];
        }
        hypLength += other.hypLength;
        refLength += other.refLength;
        return this;
    }

    /** Clipped matches of (n+1)-grams, n = 0..3. */
    public long correct(int n) {
        return correct[n];
    }

    /** (n+1)-grams of the prediction, n = 0..3. */
    public long total(int n) {
        return total[n];
    }

    public long hypLength() {
        return hypLength;
    }

    public long refLength() {
        return refLength;
    }

    long[] correctArray() {
        return correct.clone();
    }

    long[] totalArray() {
        return total.clone();
    }

    @Override
    public String toString() {
        return "BleuStats[correct=" + Arrays.toString(correct) + ", total=" + Arrays.toString(total) + ", hyp="
                + hypLength + ", ref=" + refLength + "]";
    }
}
