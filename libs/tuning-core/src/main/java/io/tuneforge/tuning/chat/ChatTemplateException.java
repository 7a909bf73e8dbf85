package io.tuneforge.tuning.chat;

/** A chat template that does not parse or render, or that rejected the conversation (raise_exception). */
public class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
