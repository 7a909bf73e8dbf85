package io.tuneforge.contracts.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** What the run optimises: supervised fine-tuning, or a preference objective. */
public enum TrainingMethod {
    SFT, DPO, ORPO;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TrainingMethod fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown method '" + value + "'; expected one of sft, dpo, orpo"));
    }

    /** DPO and ORPO learn from (prompt, chosen, rejected) records. */
    public boolean needsPreferenceData() {
        return this != SFT;
    }
}
