package io.tuneforge.tuning.preference;

import io.tuneforge.tuning.chat.Message;

import java.util.List;
import java.util.Objects;

/**
 * One preference record as chat turns: the prompt conversation and two candidate assistant answers,
 * the preferred ({@code chosen}) and the dispreferred ({@code rejected}).
 *
 * @param prompt the turns before the answer (system and user, earlier assistant turns allowed), not
 *     ending with an assistant turn
 * @param chosen the preferred answer's text
 * @param rejected the dispreferred answer's text
 */
public record PreferencePair(List<Message> prompt, String chosen, String rejected) {

    public PreferencePair {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("a preference pair needs a prompt of at least one turn");
        }
        prompt = List.copyOf(prompt);
    }

    /** The prompt with the chosen answer as the last (assistant) turn. */
    public List<Message> chosenConversation() {
        return withAnswer(chosen);
    }

    /** The prompt with the rejected answer as the last (assistant) turn. */
    public List<Message> rejectedConversation() {
        return withAnswer(rejected);
    }

    private List<Message> withAnswer(String answer) {
        Message[] turns = prompt.toArray(new Message[prompt.size() + 1]);
        turns[prompt.size()] = Message.assistant(answer);
        return List.of(turns);
    }
}
