package io.tuneforge.dataprep.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;
import io.tuneforge.dataprep.format.RecordMapper;
import io.tuneforge.dataprep.record.Example;

import java.util.List;

/**
 * The checks on a record's text, around cleaning:
 * <ul>
 *   <li>before cleaning — {@code control_characters}: a field holding a NUL character, or whose control characters
 *       (other than line break, tab, carriage return) are more than {@value #MAX_CONTROL_SHARE_PERCENT}% of its
 *       characters, is binary junk and rejected; fewer stray control characters are removed by cleaning;</li>
 *   <li>after cleaning — {@code empty_field}: a required field that cleaning emptied (only zero-width characters,
 *       only markup); {@code chosen_equals_rejected}: a preference pair whose answers are the same text;</li>
 *   <li>after conversion — {@code too_many_tokens} against the limit ({@link #tokens}).</li>
 * </ul>
 */
public final class ContentValidator {

    static final int MAX_CONTROL_SHARE_PERCENT = 10;

    private ContentValidator() {
    }

    /** Rejects binary junk (NUL or too many control characters) in any text field. */
    public static void checkControlCharacters(RecordMapper.Mapped mapped, List<Reason> reasons) {
        for (Example.Text t : mapped.example().texts()) {
            String s = t.text();
            int controls = 0;
            int nul = -1;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
                    controls++;
                    if (c == 0 && nul < 0) {
                        nul = i;
                    }
                }
            }
            String path = mapped.sourcePath(t.path());
            if (nul >= 0) {
                reasons.add(Reason.of(ReasonCode.CONTROL_CHARACTERS, path, "holds a NUL character (U+0000) at "
                        + "character " + nul + ": binary data, not text"));
            } else if (controls * 100L > (long) MAX_CONTROL_SHARE_PERCENT * s.length()) {
                reasons.add(Reason.of(ReasonCode.CONTROL_CHARACTERS, path, controls + " of its " + s.length()
                        + " characters are control characters (more than " + MAX_CONTROL_SHARE_PERCENT
                        + "%): binary data or a broken export, not text"));
            }
        }
    }

    /** Required fields still hold text after cleaning, and chosen differs from rejected. */
    public static void checkAfterCleaning(Example cleaned, RecordMapper.Mapped mapped, List<Reason> reasons) {
        for (Example.Text t : cleaned.texts()) {
            boolean optional = t.path().equals("input") || t.path().equals("system");
            if (!optional && t.text().isBlank()) {
                reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, mapped.sourcePath(t.path()), "nothing is left after "
                        + "cleaning (it held only whitespace, control or zero-width characters, or markup)"));
            }
        }
        if (cleaned.record() instanceof PreferenceRecord p && p.chosen() != null && p.chosen().equals(p.rejected())) {
            reasons.add(Reason.of(ReasonCode.CHOSEN_EQUALS_REJECTED, mapped.sourcePath("rejected"), "'chosen' and "
                    + "'rejected' are the same text (after cleaning); a preference pair needs two different answers"));
        }
    }

    /**
     * The record's length in tokens: instruction = system + instruction + input + output; conversation = all turns;
     * preference = prompt (+ system) + the longer of chosen and rejected (each is trained as prompt + answer).
     * Chat-template tokens are not counted.
     */
    public static int tokens(Example example, TokenCounter counter) {
        if (example.record() instanceof InstructionRecord r) {
            return count(counter, r.system()) + count(counter, r.instruction()) + count(counter, r.input())
                    + count(counter, r.output());
        }
        if (example.record() instanceof ConversationRecord r) {
            int n = 0;
            for (ChatMessage m : r.messages()) {
                n += count(counter, m.content());
            }
            return n;
        }
        PreferenceRecord r = (PreferenceRecord) example.record();
        int prompt = count(counter, r.system());
        JsonNode p = r.prompt();
        if (p.isArray()) {
            for (ChatMessage m : Example.messagesOf(p)) {
                prompt += count(counter, m.content());
            }
        } else {
            prompt += count(counter, p.asText());
        }
        return prompt + Math.max(count(counter, r.chosen()), count(counter, r.rejected()));
    }

    private static int count(TokenCounter counter, String text) {
        return text == null || text.isEmpty() ? 0 : counter.count(text);
    }
}
