package io.tuneforge.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.UncheckedIOException;

/** Reads the JSON text of jsonb columns for the API. */
public final class JsonColumns {

    private JsonColumns() {
    }

    public static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Stored JSON column is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Stored JSON column is not a " + type.getType() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
