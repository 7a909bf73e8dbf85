package io.tuneforge.dataprep.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.dataprep.validate.Reason;

import java.util.List;

/** Turns one decoded record into a JSON object. Thread-safe. */
public interface RecordParser {

    /**
     * The record as a JSON object; null with a reason (invalid_json, not_an_object, invalid_csv_row) added to
     * {@code reasons} when it is not one. {@code parsedOut[0]} receives what could be parsed (any JSON value),
     * for {@code rejected.jsonl}.
     */
    JsonNode parse(String text, List<Reason> reasons, JsonNode[] parsedOut);
}
