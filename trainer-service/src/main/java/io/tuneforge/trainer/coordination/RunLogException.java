package io.tuneforge.trainer.coordination;

/** The run log could not be written or read (broker away, timeout); the message says which and what to check. */
public class RunLogException extends RuntimeException {

    public RunLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
