package io.tuneforge.contracts.cloudevents;

/**
 * A record that is not a valid event of the platform. The message is the reason written to the dead-letter topic,
 * so it says what was expected and what arrived.
 */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
