package io.tuneforge.dataprep.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered byte source that record readers scan directly: {@link #buffer()} holds bytes from {@link #position()}
 * to {@link #limit()}; {@link #fill()} brings more. {@link #peek(int)} looks ahead without consuming, growing the
 * buffer up to {@code maxLookahead} bytes. Memory: the buffer (64 KiB, more only while peeking).
 */
public final class ByteReader {

    private final InputStream in;
    private final int maxLookahead;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    public ByteReader(InputStream in, int bufferSize, int maxLookahead) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.maxLookahead = Math.max(maxLookahead, bufferSize);
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public int limit() {
        return limit;
    }

    /** Consumes {@code n} buffered bytes. */
    public void advance(int n) {
        if (n < 0 || pos + n > limit) {
            throw new IllegalArgumentException("cannot advance " + n + " bytes: " + (limit - pos) + " buffered");
        }
        pos += n;
    }

    /**
     * Makes sure at least one byte is buffered, reading more when the buffer is consumed.
     *
     * @return false at the end of the input
     */
    public boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        pos = 0;
        limit = 0;
        while (limit == 0) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            limit = n;
        }
        return true;
    }

    /** The next byte (0-255) without consuming it, or -1 at the end. */
    public int peek() throws IOException {
        return fill() ? buf[pos] & 0xff : -1;
    }

    /** The byte {@code offset} bytes ahead (0-255) without consuming anything, or -1 when the input ends first. */
    public int peek(int offset) throws IOException {
        while (pos + offset >= limit) {
            if (eof) {
                return -1;
            }
            if (offset >= maxLookahead) {
                throw new IOException("cannot look " + offset + " bytes ahead; the limit is " + maxLookahead);
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, offset + 1), maxLookahead));
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
        return buf[pos + offset] & 0xff;
    }

    /** Consumes and returns the next byte (0-255), or -1 at the end. */
    public int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }
}
