package io.tuneforge.dataprep.clean;

import java.util.Locale;

/**
 * The cleaning rules, in the order {@link TextCleaner} applies them, each with the unit its change count is in.
 * The manifest reports per rule the records it changed and the number of changes.
 */
public enum CleaningRule {
    /** {@code \r\n} and lone {@code \r} → {@code \n}. Unit: carriage returns replaced. Everywhere, code included. */
    LINE_ENDINGS("carriage returns replaced"),
    /** C0/C1 control characters other than {@code \n} and {@code \t}, and DEL, removed. Everywhere. */
    CONTROL_CHARACTERS("characters removed"),
    /** U+200B..U+200D, U+FEFF, U+2060 removed. Everywhere (they break code as much as prose). */
    ZERO_WIDTH("characters removed"),
    /** Optional: known HTML tags removed (block tags → line breaks), entities decoded. Outside code fences. */
    HTML("tags removed or entities decoded"),
    /** Unicode NFKC. Outside code fences. Unit: text segments changed. */
    NFKC("text segments changed"),
    /** Spaces and tabs at line ends removed. Outside code fences. */
    TRAILING_WHITESPACE("lines trimmed"),
    /** Runs of two or more spaces inside a line (after its indentation) → one space. Outside code fences. */
    SPACE_RUNS("runs collapsed"),
    /** Leading blank lines and trailing whitespace of a field removed (and leading spaces of a one-line field). */
    TRIM("fields trimmed"),
    /** Optional: e-mail addresses → {@code [EMAIL]}. Everywhere, code included (privacy beats byte-exact code). */
    PII_EMAIL("addresses redacted"),
    /** Optional: phone numbers → {@code [PHONE]}. Everywhere. */
    PII_PHONE("numbers redacted"),
    /** Optional: payment card numbers (13-19 digits, Luhn check) → {@code [CARD_NUMBER]}. Everywhere. */
    PII_CREDIT_CARD("numbers redacted"),
    /** Optional: Chinese resident ID numbers (18 characters, birth date, ISO 7064 check) → {@code [ID_NUMBER]}. */
    PII_CN_ID("numbers redacted");

    private final String unit;

    CleaningRule(String unit) {
        this.unit = unit;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What one change of this rule is. */
    public String unit() {
        return unit;
    }
}
