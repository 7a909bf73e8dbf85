package io.tuneforge.dataprep;

import java.util.Locale;

/**
 * The stages a record passes through, in order. Every input record leaves the pipeline either in train/eval or in
 * {@code rejected.jsonl} with the stage that dropped it, so the counts of one stage's output are the next one's input.
 */
public enum Stage {
    /** Cut from the byte stream, checked for size, blank lines and UTF-8. */
    READ,
    /** Parsed as a JSON object (JSONL, JSON array element) or a CSV row. */
    PARSE,
    /** Its shape matches the dataset's format (detected or given). */
    FORMAT,
    /** Fields, types, roles, control characters, cleaning, conversion, token limit. */
    VALIDATE,
    /** Not an exact duplicate (normalised) of an earlier record. */
    EXACT_DEDUP,
    /** Not a near duplicate (MinHash Jaccard) of an earlier record. */
    NEAR_DEDUP;

    /** Name in the manifest and the CLI table, e.g. {@code exact_dedup}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
