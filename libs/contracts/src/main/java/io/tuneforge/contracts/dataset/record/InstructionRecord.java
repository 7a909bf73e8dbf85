package io.tuneforge.contracts.dataset.record;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of an instruction dataset (Alpaca style): {@code {"instruction": ..., "input": ..., "output": ...}}.
 * Schema: {@code schema/instruction-record.schema.json}.
 *
 * @param instruction the task, required and non-blank
 * @param input       optional context for the task; appended to the instruction after a blank line
 * @param output      the answer the model learns to give, required and non-blank
 * @param system      optional system prompt
 */
public record InstructionRecord(String instruction, String input, String output, String system) {

    /**
     * The same example as chat turns: optional system, the user turn (instruction, then the input after a blank line
     * when present) and the assistant turn (output).
     */
    public List<ChatMessage> toMessages() {
        List<ChatMessage> messages = new ArrayList<>(3);
        if (system != null && !system.isBlank()) {
            messages.add(ChatMessage.system(system));
        }
        String user = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
        messages.add(ChatMessage.user(user));
        messages.add(ChatMessage.assistant(output));
        return messages;
    }
}
