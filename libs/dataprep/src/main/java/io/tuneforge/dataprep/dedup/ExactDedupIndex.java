package io.tuneforge.dataprep.dedup;

/**
 * Exact-duplicate lookup: the first 128 bits of each record's {@link DedupKeys#exactDigest digest} → the line of the
 * first record with that key. Open addressing with linear probing in three parallel {@code long} arrays, kept at most
 * 60% full: about 40 bytes per record. Two different records share 128 bits with probability about n²/2¹²⁹
 * (10⁻²⁶ for a billion records), so a collision is treated as impossible.
 */
public final class ExactDedupIndex {

    private long[] his = new long[1024];
    private long[] los = new long[1024];
    private long[] lines = new long[1024];   // 0 = empty slot (lines start at 1)
    private int size;

    /** The line of the record stored under {@code digest}, or -1. */
    public long get(byte[] digest) {
        long hi = readLong(digest, 0);
        long lo = readLong(digest, 8);
        int mask = lines.length - 1;
        for (int slot = slot(lo, mask); lines[slot] != 0; slot = (slot + 1) & mask) {
            if (his[slot] == hi && los[slot] == lo) {
                return lines[slot];
            }
        }
        return -1;
    }

    /**
     * Stores {@code digest} for {@code line} unless it is there already.
     *
     * @return the line already stored under the digest, or -1 when this one was stored
     */
    public long putIfAbsent(byte[] digest, long line) {
        if (line < 1) {
            throw new IllegalArgumentException("lines start at 1, got " + line);
        }
        long hi = readLong(digest, 0);
        long lo = readLong(digest, 8);
        int mask = lines.length - 1;
        int slot = slot(lo, mask);
        while (lines[slot] != 0) {
            if (his[slot] == hi && los[slot] == lo) {
                return lines[slot];
            }
            slot = (slot + 1) & mask;
        }
        his[slot] = hi;
        los[slot] = lo;
        lines[slot] = line;
        if (++size * 5L > lines.length * 3L) {
            grow();
        }
        return -1;
    }

    private static int slot(long lo, int mask) {
        return (int) (lo ^ (lo >>> 32)) & mask;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] oldHi = his;
        long[] oldLo = los;
        long[] oldLines = lines;
        int capacity = oldLines.length * 2;
        his = new long[capacity];
        los = new long[capacity];
        lines = new long[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldLines.length; i++) {
            if (oldLines[i] != 0) {
                int slot = slot(oldLo[i], mask);
                while (lines[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                his[slot] = oldHi[i];
                los[slot] = oldLo[i];
                lines[slot] = oldLines[i];
            }
        }
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }
}
