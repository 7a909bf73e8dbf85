package io.tuneforge.tuning.data;

/**
 * A dataset record that cannot become a training example, with the reason as a category (for
 * counting) and a message a person can act on.
 */
public final class RecordRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why a record was rejected. */
    public enum Reason {
        /** Not an instruction or conversation record, or a field has the wrong type. */
        INVALID_RECORD,
        /** No assistant turn: nothing to learn (unless trainOnPrompt). */
        NO_ASSISTANT_TURN,
        /** The chat template renders or tokenizes a conversation prefix differently from the whole conversation. */
        TEMPLATE_NOT_PREFIX_STABLE,
        /** The chat template failed (e.g. raise_exception on an unsupported role order). */
        TEMPLATE_FAILED,
        /** Truncation to maxSeqLength cut off every target token. */
        TRUNCATED_AWAY
    }

    private final Reason reason;

    public RecordRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RecordRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
