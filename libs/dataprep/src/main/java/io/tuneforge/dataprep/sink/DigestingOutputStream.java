package io.tuneforge.dataprep.sink;

import io.tuneforge.dataprep.dedup.DedupKeys;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Counts bytes and lines and computes the SHA-256 of what goes through, for the manifest. */
public final class DigestingOutputStream extends FilterOutputStream {

    private final String name;
    private final MessageDigest digest = DedupKeys.sha256();
    private long bytes;
    private long lines;
    private WrittenFile result;

    public DigestingOutputStream(String name, OutputStream out) {
        super(out);
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes++;
        if (b == '\n') {
            lines++;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        bytes += len;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines++;
            }
        }
    }

    /** Writes one JSONL line: {@code json} and a line break. */
    public void writeLine(byte[] json) throws IOException {
        write(json, 0, json.length);
        write('\n');
    }

    @Override
    public void close() throws IOException {
        if (result == null) {
            super.close();
            result = new WrittenFile(name, bytes, HexFormat.of().formatHex(digest.digest()), lines);
        }
    }

    /** Size, digest and line count; available after {@link #close}. */
    public WrittenFile result() {
        if (result == null) {
            throw new IllegalStateException(name + " is still open");
        }
        return result;
    }
}
