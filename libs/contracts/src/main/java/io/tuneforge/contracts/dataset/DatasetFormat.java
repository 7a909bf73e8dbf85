package io.tuneforge.contracts.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Record shapes a dataset can hold: instruction ({@code instruction/input/output}), conversation
 * ({@code messages} with roles) and preference ({@code prompt/chosen/rejected}).
 */
public enum DatasetFormat {
    INSTRUCTION, CONVERSATION, PREFERENCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DatasetFormat fromWire(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown dataset format '" + value + "'; expected instruction, conversation or preference"));
    }
}
