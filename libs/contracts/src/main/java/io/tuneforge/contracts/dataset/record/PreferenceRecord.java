package io.tuneforge.contracts.dataset.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tuneforge.contracts.Json;

import java.util.Arrays;
import java.util.List;

/**
 * One line of a preference dataset for DPO / ORPO, in the shape TRL uses:
 * {@code {"prompt": ..., "chosen": ..., "rejected": ...}}. Schema: {@code schema/preference-record.schema.json}.
 *
 * @param prompt   either a string, or the conversation so far as an array of {@link ChatMessage} objects
 * @param chosen   the preferred answer
 * @param rejected the dispreferred answer to the same prompt
 * @param system   optional system prompt (used only with a string prompt)
 */
public record PreferenceRecord(JsonNode prompt, String chosen, String rejected, String system) {

    /** A record with a plain-text prompt. */
    public static PreferenceRecord of(String prompt, String chosen, String rejected) {
        return new PreferenceRecord(TextNode.valueOf(prompt), chosen, rejected, null);
    }

    /** A record whose prompt is a conversation. */
    public static PreferenceRecord of(List<ChatMessage> prompt, String chosen, String rejected) {
        return new PreferenceRecord(Json.mapper().valueToTree(prompt), chosen, rejected, null);
    }

    /** Whether the prompt is a conversation (an array of messages) rather than a string. */
    public boolean hasConversationPrompt() {
        return prompt != null && prompt.isArray();
    }

    /**
     * The prompt as chat turns: the conversation as given, or the system prompt (when present) followed by one user
     * turn holding the string prompt.
     *
     * @throws IllegalStateException when the prompt is neither a string nor an array of messages
     */
    public List<ChatMessage> promptMessages() {
        if (prompt != null && prompt.isTextual()) {
            return system == null || system.isBlank()
                    ? List.of(ChatMessage.user(prompt.asText()))
                    : List.of(ChatMessage.system(system), ChatMessage.user(prompt.asText()));
        }
        if (hasConversationPrompt()) {
            try {
                return Arrays.asList(Json.mapper().treeToValue(prompt, ChatMessage[].class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalStateException("prompt is not an array of {\"role\", \"content\"} messages: "
                        + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("prompt must be a string or an array of messages, got "
                + (prompt == null ? "nothing" : prompt.getNodeType().toString().toLowerCase()));
    }
}
