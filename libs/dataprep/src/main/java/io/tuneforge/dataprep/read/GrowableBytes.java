package io.tuneforge.dataprep.read;

import java.util.Arrays;

/** A byte buffer that grows up to a cap; bytes past the cap are counted but not kept. */
final class GrowableBytes {

    private final long cap;
    private byte[] data = new byte[256];
    private int size;
    private long total;

    GrowableBytes(long cap) {
        this.cap = cap;
    }

    void reset() {
        size = 0;
        total = 0;
        if (data.length > 1 << 20) {
            data = new byte[256];   // do not hold on to a huge record's buffer
        }
    }

    void append(byte[] src, int off, int len) {
        total += len;
        int keep = (int) Math.min(len, Math.max(0, cap - size));
        if (keep > 0) {
            if (size + keep > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Math.max(data.length * 2L, size + keep), Integer.MAX_VALUE - 8));
            }
            System.arraycopy(src, off, data, size, keep);
            size += keep;
        }
    }

    long total() {
        return total;
    }

    boolean truncated() {
        return total > cap;
    }

    /** The kept bytes, without a trailing carriage return; at most {@code max} bytes. */
    byte[] bytes(int max, boolean stripCr) {
        int n = size;
        if (stripCr && !truncated() && n > 0 && data[n - 1] == '\r') {
            n--;
        }
        return Arrays.copyOf(data, Math.min(n, max));
    }
}
