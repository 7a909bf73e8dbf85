package io.tuneforge.contracts.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** Which parameters train: LoRA adapters, LoRA over a 4-bit NF4 base (QLoRA), or all of them ({@code none}). */
public enum AdapterType {
    LORA, QLORA, NONE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AdapterType fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown adapter '" + value + "'; expected one of lora, qlora, none"));
    }

    public boolean usesLora() {
        return this != NONE;
    }
}
