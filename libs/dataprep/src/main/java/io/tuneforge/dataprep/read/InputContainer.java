package io.tuneforge.dataprep.read;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How records are laid out in the input file. {@link #AUTO} sniffs the first bytes (after gzip and a BOM). */
public enum InputContainer {
    /** Sniff: {@code [} → JSON array, {@code {} → JSON Lines, otherwise a CSV header row naming known fields. */
    AUTO,
    /** One JSON object per line. */
    JSONL,
    /** One JSON array of objects. */
    JSON_ARRAY,
    /** Comma-, tab- or semicolon-separated values with a header row (the separator is sniffed from the header). */
    CSV;

    public String wireName() {
        return this == JSON_ARRAY ? "json" : name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto}, {@code jsonl}, {@code json} (or {@code json_array}), {@code csv}, case-insensitive. */
    public static InputContainer fromWire(String value) {
        for (InputContainer c : values()) {
            if (c.wireName().equalsIgnoreCase(value) || c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown input type '" + value + "'; expected one of "
                + Arrays.stream(values()).map(InputContainer::wireName).collect(Collectors.joining(", ")));
    }
}
