package io.tuneforge.augment.llm;

/**
 * What one completion asks: an optional system turn and the user turn.
 *
 * @param system instructions for the model, or null
 * @param user   the request with the text in it
 */
public record ChatPrompt(String system, String user) {

    public ChatPrompt {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a prompt needs a non-blank user turn");
        }
    }
}
