package io.tuneforge.tuning.chat;

/**
 * Functions that Hugging Face's chat-template environment adds to Jinja, registered by
 * {@link ChatTemplate}. Public only because Jinjava calls them by reflection.
 */
public final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** {@code raise_exception(message)}: the template rejects the conversation with its own message. */
    public static Object raiseException(String message) {
        throw new RaisedByTemplate(message);
    }

    /** Thrown by {@link #raiseException}; {@link ChatTemplate} finds it in Jinjava's error and reports its message. */
    static final class RaisedByTemplate extends RuntimeException {
        RaisedByTemplate(String message) {
            super(message, null, false, false);
        }
    }
}
