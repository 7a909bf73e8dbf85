package io.tuneforge.contracts.dataset.record;

import java.util.List;

/**
 * One line of a conversation dataset: {@code {"messages": [{"role": "user", "content": ...}, ...]}}, the format of
 * the OpenAI fine-tuning API. An optional leading {@code system} turn, then user and assistant turns; at least one
 * assistant turn. Schema: {@code schema/conversation-record.schema.json}.
 */
public record ConversationRecord(List<ChatMessage> messages) {

    public static ConversationRecord of(ChatMessage... messages) {
        return new ConversationRecord(List.of(messages));
    }
}
