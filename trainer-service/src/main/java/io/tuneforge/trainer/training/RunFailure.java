package io.tuneforge.trainer.training;

import io.tuneforge.contracts.training.TrainingErrorCode;

/** A run cannot go on for a reason with its own error code; the message says what to do about it. */
public class RunFailure extends RuntimeException {

    private final TrainingErrorCode code;

    public RunFailure(TrainingErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public RunFailure(TrainingErrorCode code, String message) {
        this(code, message, null);
    }

    public TrainingErrorCode code() {
        return code;
    }
}
