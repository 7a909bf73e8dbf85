package io.tuneforge.dataprep.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.DatasetFormat;

import java.util.Locale;

/**
 * The ways a record of each format is spelled in the wild, all mapped onto the canonical contract records.
 * <pre>
 * alpaca               {"instruction", "input"?, "output", "system"?}                  → instruction (canonical)
 * prompt_completion    {"prompt", "completion"} (OpenAI legacy fine-tuning)            → instruction
 * messages             {"messages": [{"role", "content"}]} (OpenAI chat, canonical)    → conversation
 * sharegpt             {"conversations": [{"from": human|gpt|system, "value"}]}        → conversation
 * preference           {"prompt": text|[messages], "chosen", "rejected"} (TRL, canonical) → preference
 * sharegpt_preference  {"conversations": [...], "chosen": {"from": "gpt", "value"}, "rejected": {...}}
 *                      (LLaMA-Factory)                                                  → preference
 * </pre>
 */
public enum Spelling {
    ALPACA(DatasetFormat.INSTRUCTION),
    PROMPT_COMPLETION(DatasetFormat.INSTRUCTION),
    MESSAGES(DatasetFormat.CONVERSATION),
    SHAREGPT(DatasetFormat.CONVERSATION),
    PREFERENCE(DatasetFormat.PREFERENCE),
    SHAREGPT_PREFERENCE(DatasetFormat.PREFERENCE);

    private final DatasetFormat format;

    Spelling(DatasetFormat format) {
        this.format = format;
    }

    public DatasetFormat format() {
        return format;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The spelling a record of {@code format} is read with when its own fields say nothing. */
    public static Spelling canonical(DatasetFormat format) {
        return switch (format) {
            case INSTRUCTION -> ALPACA;
            case CONVERSATION -> MESSAGES;
            case PREFERENCE -> PREFERENCE;
        };
    }

    /**
     * The spelling of a JSON object judged by its field names (a field counts when present and not null), or null
     * when it has none of the distinguishing fields. Checked in this order: {@code chosen}/{@code rejected} →
     * preference ({@code sharegpt_preference} when the prompt is in {@code conversations}); {@code messages} →
     * messages; {@code conversations} → sharegpt; {@code instruction} → alpaca; {@code prompt} + {@code completion}
     * → prompt_completion.
     */
    public static Spelling classify(JsonNode object) {
        if (has(object, "chosen") || has(object, "rejected")) {
            return !has(object, "prompt") && has(object, "conversations") ? SHAREGPT_PREFERENCE : PREFERENCE;
        }
        if (has(object, "messages")) {
            return MESSAGES;
        }
        if (has(object, "conversations")) {
            return SHAREGPT;
        }
        if (has(object, "instruction")) {
            return ALPACA;
        }
        if (has(object, "prompt") && has(object, "completion")) {
            return PROMPT_COMPLETION;
        }
        return null;
    }

    private static boolean has(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v != null && !v.isNull();
    }
}
