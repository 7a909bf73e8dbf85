package io.tuneforge.dataprep.dedup;

import java.util.SplittableRandom;

/**
 * MinHash signatures over character shingles (Broder 1997). Shingles are runs of {@code n} Unicode code points
 * (default 5), so Chinese, which has no spaces between words, is compared as well as English; a text shorter than
 * {@code n} is one shingle. Each shingle is hashed to 64 bits (polynomial over its code points, then the SplitMix64
 * finaliser), and each of the {@code k} hash functions is {@code h_i(x) = (a_i·x + b_i) >>> 32} with random odd
 * {@code a_i} (multiply-add-shift), fixed by a seed so signatures are the same on every run and machine.
 *
 * <p>The share of equal positions of two signatures estimates the Jaccard similarity of their shingle sets, with a
 * standard error of {@code sqrt(J(1-J)/k)} (0.03 at J = 0.85, k = 128). Cost: {@code k} multiply-adds per shingle.
 * Thread-safe (immutable).
 */
public final class MinHasher {

    private final int numPermutations;
    private final int shingleSize;
    private final long[] a;
    private final long[] b;

    public MinHasher(int numPermutations, int shingleSize, long seed) {
        if (numPermutations < 1) {
            throw new IllegalArgumentException("MinHash needs at least 1 permutation, got " + numPermutations);
        }
        if (shingleSize < 1) {
            throw new IllegalArgumentException("shingle size must be at least 1 character, got " + shingleSize);
        }
        this.numPermutations = numPermutations;
        this.shingleSize = shingleSize;
        this.a = new long[numPermutations];
        this.b = new long[numPermutations];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < numPermutations; i++) {
            a[i] = random.nextLong() | 1L;
            b[i] = random.nextLong();
        }
    }

    public int numPermutations() {
        return numPermutations;
    }

    public int shingleSize() {
        return shingleSize;
    }

    /** The signature of {@code text} ({@code k} unsigned 32-bit minima), or null for an empty text. */
    public int[] signature(String text) {
        int[] cps = text.codePoints().toArray();
        if (cps.length == 0) {
            return null;
        }
        int n = Math.min(shingleSize, cps.length);
        long[] min = new long[numPermutations];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        for (int i = 0; i + n <= cps.length; i++) {
            long h = 0;
            for (int j = 0; j < n; j++) {
                h = h * 0x100000001B3L + cps[i + j] + 1;
            }
            h = mix64(h);
            for (int k = 0; k < numPermutations; k++) {
                long v = (a[k] * h + b[k]) >>> 32;
                if (v < min[k]) {
                    min[k] = v;
                }
            }
        }
        int[] signature = new int[numPermutations];
        for (int k = 0; k < numPermutations; k++) {
            signature[k] = (int) min[k];
        }
        return signature;
    }

    /** Share of equal positions: the estimated Jaccard similarity. */
    public static double similarity(int[] x, int[] y) {
        int equal = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                equal++;
            }
        }
        return (double) equal / x.length;
    }

    /** SplitMix64 finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
