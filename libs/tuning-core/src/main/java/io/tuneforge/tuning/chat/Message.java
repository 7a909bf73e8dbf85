package io.tuneforge.tuning.chat;

import java.util.Objects;

/**
 * One chat turn as chat templates see it: {@code message['role']} and {@code message['content']}.
 *
 * @param role {@code system}, {@code user}, {@code assistant} (templates may accept others, e.g. {@code tool})
 * @param content the text of the turn
 */
public record Message(String role, String content) {

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank; expected system, user or assistant");
        }
    }

    public static Message system(String content) {
        return new Message("system", content);
    }

    public static Message user(String content) {
        return new Message("user", content);
    }

    public static Message assistant(String content) {
        return new Message("assistant", content);
    }
}
