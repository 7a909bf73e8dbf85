package io.tuneforge.contracts.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;

import java.io.UncheckedIOException;

/** Test helper: a valid request as a JSON tree, changed one dotted path at a time. */
final class RequestTrees {

    /** Valid: QLoRA so that both the lora and the quantization sections are allowed. */
    static final String VALID = """
            {"baseModel": "s3://tuneforge/models/tiny/",
             "dataset": {"id": "ds-1", "version": 1},
             "adapter": "qlora",
             "lora": {"r": 8},
             "quantization": {"type": "nf4"},
             "hyperparameters": {"epochs": 1},
             "evaluation": {"maxSamples": 10},
             "export": {"merge": false},
             "metadata": {"team": "ml"}}
            """;

    private RequestTrees() {
    }

    static ObjectNode valid() {
        return (ObjectNode) read(VALID);
    }

    static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code dottedPath} (creating sections) to {@code value}; a null value removes the field. */
    static ObjectNode with(ObjectNode tree, String dottedPath, Object value) {
        String[] parts = dottedPath.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) && node.get(parts[i]).isObject() ? (ObjectNode) node.get(parts[i])
                    : node.putObject(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (value == null) {
            node.remove(last);
        } else {
            node.set(last, Json.mapper().valueToTree(value));
        }
        return tree;
    }

    /** Plain Jackson binding, as a Java producer of the request would build it. */
    static TrainingRequest bind(JsonNode tree) {
        try {
            return Json.mapper().treeToValue(tree, TrainingRequest.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
