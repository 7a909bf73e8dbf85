package io.tuneforge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * A stream copied to a temporary file while its SHA-256 is computed, so that the digest can be
 * sent as metadata before the body. Deleted on close.
 */
final class Spool implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long size;
    private final String sha256;

    private Spool(Path file, long size, String sha256) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
    }

    /** Copies {@code limit} bytes (or all, if -1) of {@code in}; fewer bytes than the limit is not an error here. */
    static Spool of(InputStream in, long limit) throws IOException {
        Path file = Files.createTempFile("tuneforge-upload-", ".part");
        try {
            MessageDigest digest = Sha256.newDigest();
            long copied = 0;
            try (InputStream hashing = new DigestInputStream(in, digest) {
                @Override
                public void close() {
                    // the caller owns the source stream
                }
            }; OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[BUFFER];
                while (limit < 0 || copied < limit) {
                    int want = limit < 0 ? buffer.length : (int) Math.min(buffer.length, limit - copied);
                    int n = hashing.read(buffer, 0, want);
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    copied += n;
                }
            }
            return new Spool(file, copied, Sha256.hex(digest));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    String sha256() {
        return sha256;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
