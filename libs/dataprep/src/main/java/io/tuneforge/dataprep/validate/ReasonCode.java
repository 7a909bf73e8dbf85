package io.tuneforge.dataprep.validate;

import io.tuneforge.dataprep.Stage;

import java.util.Locale;

/**
 * Why a record was rejected; the wire name ({@link #wireName()}) is what {@code rejected.jsonl} and the manifest
 * carry. Every code belongs to the stage that raises it.
 */
public enum ReasonCode {
    /** A blank line of a JSONL or CSV file (only whitespace). Counted as a rejected record so the lines add up. */
    EMPTY_LINE(Stage.READ),
    /** The record is longer than the maximum record size; it was skipped without being read into memory. */
    RECORD_TOO_LARGE(Stage.READ),
    /** The record's bytes are not valid UTF-8 (decoded with {@code CodingErrorAction.REPORT}). */
    INVALID_UTF8(Stage.READ),
    /** Not parseable JSON, or JSON followed by more text, or an object with a repeated key. */
    INVALID_JSON(Stage.PARSE),
    /** Valid JSON, but not an object ({@code [..]}, a string, a number). */
    NOT_AN_OBJECT(Stage.PARSE),
    /** A CSV row that cannot be read or has more cells than the header. */
    INVALID_CSV_ROW(Stage.PARSE),
    /** The record is in another format than the dataset (e.g. a conversation in an instruction dataset). */
    FORMAT_MISMATCH(Stage.FORMAT),
    /** A required field is absent or null. */
    MISSING_FIELD(Stage.VALIDATE),
    /** A required field is an empty or blank string (before or after cleaning). */
    EMPTY_FIELD(Stage.VALIDATE),
    /** A field has the wrong JSON type (e.g. a number where text belongs). */
    WRONG_TYPE(Stage.VALIDATE),
    /** A message role that is not system/user/assistant (or human/gpt/system in ShareGPT). */
    INVALID_ROLE(Stage.VALIDATE),
    /** Turns out of order: system not first, user/assistant not alternating, or not ending as required. */
    INVALID_ROLE_ORDER(Stage.VALIDATE),
    /** Binary junk: a NUL character, or control characters making up more than a tenth of a field. */
    CONTROL_CHARACTERS(Stage.VALIDATE),
    /** chosen and rejected are the same text (after cleaning): the pair teaches nothing. */
    CHOSEN_EQUALS_REJECTED(Stage.VALIDATE),
    /** The record cannot be converted to the requested output format. */
    NOT_CONVERTIBLE(Stage.VALIDATE),
    /** More tokens than the limit. */
    TOO_MANY_TOKENS(Stage.VALIDATE),
    /** Same as an earlier record once case-folded and whitespace-collapsed; {@code keptLine} names it. */
    EXACT_DUPLICATE(Stage.EXACT_DEDUP),
    /** MinHash Jaccard similarity to an earlier kept record at or above the threshold; {@code keptLine} names it. */
    NEAR_DUPLICATE(Stage.NEAR_DEDUP);

    private final Stage stage;

    ReasonCode(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** Name in {@code rejected.jsonl} and the manifest, e.g. {@code format_mismatch}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
