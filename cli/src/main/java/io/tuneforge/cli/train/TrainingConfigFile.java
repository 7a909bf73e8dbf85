package io.tuneforge.cli.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a training request file: JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) with the fields of
 * the training request (DESIGN.md §4), into a JSON tree for {@code TrainingRequests.parse}.
 */
public final class TrainingConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TrainingConfigFile() {
    }

    /**
     * @throws IllegalArgumentException for a missing file, an unknown extension or a syntax error (with line and
     *     column)
     */
    static JsonNode read(Path file) throws IOException {
        return read(file, "--config");
    }

    /** As {@link #read(Path)}, naming {@code option} (e.g. {@code --request}) in its errors. */
    public static JsonNode read(Path file, String option) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not a file; expected a training request in"
                    + " JSON (.json) or YAML (.yaml, .yml)");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Files.readString(file);
        ObjectMapper mapper;
        if (name.endsWith(".json")) {
            mapper = Json.mapper();
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = YAML;
        } else {
            throw new IllegalArgumentException(option + " " + file + " has an unknown extension; use .json, .yaml or"
                    + " .yml");
        }
        try {
            JsonNode tree = mapper.readTree(text);
            return tree == null ? mapper.missingNode() : tree;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(option + " " + file + " is not valid " + (mapper == YAML ? "YAML" : "JSON")
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + e.getOriginalMessage());
        }
    }
}
