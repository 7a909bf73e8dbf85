package io.tuneforge.data.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads JSON Lines from the start of a stream until enough records match: a preview never reads more of the file than
 * it shows (plus one line, to tell whether there is more).
 */
public final class JsonLines {

    /**
     * @param records the matching records, at most {@code limit}
     * @param more    whether another matching record follows them
     */
    public record Page(List<JsonNode> records, boolean more) {
    }

    private JsonLines() {
    }

    /** Reads {@code in} (closed at the end) until {@code limit} records match and one more is found, or the end. */
    public static Page read(InputStream in, int limit, Predicate<JsonNode> filter) {
        List<JsonNode> records = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(line);
                if (!filter.test(node)) {
                    continue;
                }
                if (records.size() == limit) {
                    return new Page(records, true);
                }
                records.add(node);
            }
            return new Page(records, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
