package io.tuneforge.dataprep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The input of one pipeline run: a stream read once, front to back (JSONL, JSON array or CSV, optionally gzip).
 * The pipeline closes it.
 *
 * @param name      for the manifest and messages: a file name or an {@code s3://} URI
 * @param stream    the raw bytes
 * @param sizeBytes the stream's length in bytes for progress, or -1 when unknown
 */
public record DatasetInput(String name, InputStream stream, long sizeBytes) {

    public DatasetInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stream, "stream");
    }

    /** A local file. */
    public static DatasetInput of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file.toAbsolutePath());
        }
        return new DatasetInput(file.getFileName().toString(), Files.newInputStream(file), Files.size(file));
    }
}
