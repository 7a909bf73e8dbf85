package io.tuneforge.dataprep.record;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.util.List;

/**
 * Converts between instruction and conversation records.
 * <ul>
 *   <li>instruction → conversation: optional system turn, user = instruction (+ "\n\n" + input when the input is
 *       not blank), assistant = output ({@link InstructionRecord#toMessages()}). Always possible.</li>
 *   <li>conversation → instruction: only for exactly one user and one assistant turn after an optional system
 *       turn; instruction = the user turn, output = the assistant turn, no input (the user turn is not split back).
 *       Longer conversations are rejected as {@code not_convertible}.</li>
 * </ul>
 * Preference records are not converted; asking for it is a settings error, checked before any record is read.
 */
public final class RecordConverter {

    private RecordConverter() {
    }

    /** Whether records of {@code from} can be converted to {@code to} (same format is always fine). */
    public static boolean supports(DatasetFormat from, DatasetFormat to) {
        return from == to || (from != DatasetFormat.PREFERENCE && to != DatasetFormat.PREFERENCE);
    }

    /**
     * The record in format {@code to}, or null with a {@code not_convertible} reason added to {@code reasons}.
     *
     * @throws IllegalArgumentException when the pair is not {@link #supports supported}
     */
    public static Example convert(Example example, DatasetFormat to, List<Reason> reasons) {
        if (example.format() == to) {
            return example;
        }
        if (!supports(example.format(), to)) {
            throw new IllegalArgumentException("cannot convert " + example.format().wireName() + " records to "
                    + to.wireName() + "; only instruction <-> conversation is supported");
        }
        if (example.record() instanceof InstructionRecord r) {
            return Example.of(new ConversationRecord(r.toMessages()), example.source());
        }
        List<ChatMessage> messages = ((ConversationRecord) example.record()).messages();
        int first = !messages.isEmpty() && ChatMessage.SYSTEM.equals(messages.get(0).role()) ? 1 : 0;
        int turns = messages.size() - first;
        if (turns != 2 || !ChatMessage.USER.equals(messages.get(first).role())
                || !ChatMessage.ASSISTANT.equals(messages.get(first + 1).role())) {
            reasons.add(Reason.of(ReasonCode.NOT_CONVERTIBLE, "messages",
                    "an instruction record holds one user and one assistant turn (after an optional system turn); "
                            + "this conversation has " + turns + " turns after the system turn"));
            return null;
        }
        String system = first == 1 ? messages.get(0).content() : null;
        return Example.of(new InstructionRecord(messages.get(first).content(), null,
                messages.get(first + 1).content(), system), example.source());
    }
}
