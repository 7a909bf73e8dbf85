package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes {@link SampleResult}s to {@code samples.jsonl} as they arrive, one compact JSON object per
 * line (UTF-8, non-ASCII kept as is), so an evaluation never holds its samples in memory.
 */
public final class SamplesJsonl implements Consumer<SampleResult>, AutoCloseable {

    private final ObjectMapper mapper;
    private final BufferedWriter out;
    private int written;

    public SamplesJsonl(Path file, ObjectMapper mapper) throws IOException {
        this.mapper = mapper.copy().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void accept(SampleResult sample) {
        try {
            out.write(mapper.writeValueAsString(sample));
            out.write('\n');
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample " + sample.index() + ": " + e.getMessage(), e);
        }
    }

    public int written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
