package io.tuneforge.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes an object's bytes through and, when the end is reached, compares their SHA-256 with the
 * one recorded at put time; a mismatch is an {@link IOException} naming both digests. Nothing is
 * checked when there is no recorded digest, or when the reader stops before the end.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final MessageDigest digest = Sha256.newDigest();
    private final String expected;
    private final String location;
    private boolean checked;

    VerifyingInputStream(InputStream in, String expectedSha256, String location) {
        super(in);
        this.expected = expectedSha256;
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must still be digested
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (checked || expected == null) {
            return;
        }
        checked = true;
        String actual = Sha256.hex(digest);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new DigestMismatchException("sha256 mismatch for " + location + ": recorded " + expected + ", read " + actual
                    + "; the object was changed or corrupted after it was written");
        }
    }
}
