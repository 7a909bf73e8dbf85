package io.tuneforge.contracts.dataset.record;

import java.util.List;

/**
 * One turn of a conversation, as in the OpenAI chat format and Hugging Face chat templates.
 *
 * @param role    {@code system}, {@code user} or {@code assistant} ({@link #ROLES})
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    /** Roles a dataset may use; only {@code assistant} turns are trained on by default. */
    public static final List<String> ROLES = List.of(SYSTEM, USER, ASSISTANT);

    public static ChatMessage system(String content) {
        return new ChatMessage(SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(ASSISTANT, content);
    }
}
