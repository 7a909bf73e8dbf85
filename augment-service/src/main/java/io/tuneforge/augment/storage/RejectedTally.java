package io.tuneforge.augment.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipeline rejected of an augmented version's input, read from its rejected.jsonl as it is written: input
 * lines 1..originals are the parent's train records, later lines are generated records.
 */
public final class RejectedTally {

    private final long originals;
    private long originalsRejected;
    private long generatedRejected;
    private final Map<String, Long> generatedByReason = new TreeMap<>();
    private final Map<Long, String> generatedLines = new TreeMap<>();

    public RejectedTally(long originals) {
        this.originals = originals;
    }

    /** One line of rejected.jsonl. */
    void add(byte[] jsonLine) throws IOException {
        JsonNode n = Json.mapper().readTree(jsonLine);
        long line = n.path("line").asLong(-1);
        if (line < 1) {
            throw new IOException("rejected.jsonl line without a 'line' number: " + n);
        }
        if (line <= originals) {
            originalsRejected++;
            return;
        }
        generatedRejected++;
        String first = null;
        for (JsonNode reason : n.path("reasons")) {
            String code = reason.path("code").asText("unknown");
            generatedByReason.merge(code, 1L, Long::sum);
            first = first == null ? code : first;
        }
        generatedLines.put(line, first == null ? "unknown" : first);
    }

    /** Parent train records the pipeline dropped (0 unless the parent's settings changed since it was prepared). */
    public long originalsRejected() {
        return originalsRejected;
    }

    /** Generated records the pipeline dropped (duplicates of other records, too many tokens, ...). */
    public long generatedRejected() {
        return generatedRejected;
    }

    /** Generated records rejected per reason code (a record with two codes counts under both). */
    public Map<String, Long> generatedByReason() {
        return Map.copyOf(generatedByReason);
    }

    /** Input line → first reason code of every rejected generated record. */
    public Map<Long, String> generatedLines() {
        return Map.copyOf(generatedLines);
    }
}
