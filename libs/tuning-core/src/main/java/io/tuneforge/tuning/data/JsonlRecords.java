package io.tuneforge.tuning.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a JSONL training file and encodes it record by record, for the SFT and the preference datasets alike: blank
 * lines are skipped, a line that is not JSON or that the encoder refuses ({@link RecordRejectedException}) is kept as a
 * {@link SkippedRecord} with its line number and reason — nothing is dropped silently.
 *
 * @param <T> what the encoder makes of one record
 */
public final class JsonlRecords<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One encoded record and the (1-based) line it came from. */
    public record Encoded<T>(long line, T example) {
    }

    private final List<Encoded<T>> encoded;
    private final List<SkippedRecord> skipped;

    private JsonlRecords(List<Encoded<T>> encoded, List<SkippedRecord> skipped) {
        this.encoded = encoded;
        this.skipped = skipped;
    }

    /**
     * @param what   the file's kind for messages, e.g. "dataset"
     * @param usable what a usable record is, e.g. "record"
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when no record is usable, listing the first reasons
     */
    public static <T> JsonlRecords<T> read(Path jsonl, String what, String usable, Function<JsonNode, T> encoder) {
        List<Encoded<T>> encoded = new ArrayList<>();
        List<SkippedRecord> skipped = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    encoded.add(new Encoded<>(lineNumber, encoder.apply(parse(line))));
                } catch (RecordRejectedException e) {
                    skipped.add(new SkippedRecord(lineNumber, e.reason(), e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + jsonl + ": " + e.getMessage(), e);
        }
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException(what + " " + jsonl + " has no usable " + usable + " (" + skipped.size()
                    + " skipped" + (skipped.isEmpty() ? ", the file is empty" : "; first: "
                    + skipped.subList(0, Math.min(3, skipped.size()))) + ")");
        }
        return new JsonlRecords<>(encoded, skipped);
    }

    public List<Encoded<T>> encoded() {
        return encoded;
    }

    public List<SkippedRecord> skipped() {
        return skipped;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RecordRejectedException(RecordRejectedException.Reason.INVALID_RECORD,
                    "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
