package io.tuneforge.dataprep.pipeline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kept records between the two passes, in a temporary file: each record's canonical JSON, length-prefixed, in
 * input order. Pass 1 appends, pass 2 reads them back once. Nothing of it stays in memory but the buffers.
 */
final class SpillFile implements Closeable {

    private final Path file;
    private DataOutputStream out;
    private DataInputStream in;
    private long records;

    SpillFile(Path dir) throws IOException {
        this.file = Files.createTempFile(dir, "dataprep-spill-", ".bin");
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    void append(byte[] record) throws IOException {
        out.writeInt(record.length);
        out.write(record);
        records++;
    }

    long records() {
        return records;
    }

    long bytes() throws IOException {
        if (out != null) {
            out.flush();
        }
        return Files.size(file);
    }

    /** Switches to reading from the start; the next {@link #next} returns the first record. */
    void startReading() throws IOException {
        out.close();
        out = null;
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The next record, or null after the last. */
    byte[] next() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        byte[] record = new byte[length];
        in.readFully(record);
        return record;
    }

    @Override
    public void close() throws IOException {
        try {
            if (out != null) {
                out.close();
            }
            if (in != null) {
                in.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
