package io.tuneforge.dataprep.dedup;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * MinHash signatures of the kept records in a temporary file (4·k bytes each, appended in id order), so the heap
 * holds none of them: they are read back only to verify LSH candidates, which the OS page cache serves. The last
 * 1 MiB written stays in memory until flushed.
 */
final class SignatureStore implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final int bytesPerSignature;
    private final ByteBuffer pending;
    private final ByteBuffer readBuffer;
    private int flushed;   // signatures already in the file
    private int count;

    SignatureStore(Path dir, int numPermutations) {
        try {
            this.file = Files.createTempFile(dir, "minhash-", ".bin");
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the MinHash signature file in " + dir, e);
        }
        this.bytesPerSignature = numPermutations * 4;
        this.pending = ByteBuffer.allocate(Math.max(bytesPerSignature, (1 << 20) / bytesPerSignature * bytesPerSignature));
        this.readBuffer = ByteBuffer.allocate(bytesPerSignature);
    }

    /** Appends a signature; returns its id (0, 1, 2, ...). */
    int add(int[] signature) {
        if (pending.remaining() < bytesPerSignature) {
            flush();
        }
        for (int v : signature) {
            pending.putInt(v);
        }
        return count++;
    }

    /** The signature with id {@code id}, read into {@code into}. */
    int[] get(int id, int[] into) {
        if (id >= flushed) {
            int base = (id - flushed) * bytesPerSignature;
            for (int i = 0; i < into.length; i++) {
                into[i] = pending.getInt(base + 4 * i);
            }
            return into;
        }
        try {
            readBuffer.clear();
            long position = (long) id * bytesPerSignature;
            while (readBuffer.hasRemaining()) {
                if (channel.read(readBuffer, position + readBuffer.position()) < 0) {
                    throw new IOException("signature file ends before signature " + id);
                }
            }
            readBuffer.flip();
            for (int i = 0; i < into.length; i++) {
                into[i] = readBuffer.getInt();
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MinHash signature " + id + " from " + file, e);
        }
    }

    private void flush() {
        pending.flip();
        try {
            long position = (long) flushed * bytesPerSignature;
            while (pending.hasRemaining()) {
                position += channel.write(pending, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write MinHash signatures to " + file, e);
        }
        flushed = count;
        pending.clear();
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the signature file " + file, e);
        }
    }
}
