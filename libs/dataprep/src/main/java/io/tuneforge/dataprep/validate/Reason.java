package io.tuneforge.dataprep.validate;

import java.util.Objects;

/**
 * One reason a record was rejected.
 *
 * @param code    what kind of problem
 * @param path    where in the record, in the input's own spelling ({@code conversations[3].from},
 *                {@code output}); null when it concerns the whole record (e.g. invalid UTF-8)
 * @param message what was found and what would be right, for a person
 */
public record Reason(ReasonCode code, String path, String message) {

    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Reason of(ReasonCode code, String path, String message) {
        return new Reason(code, path, message);
    }

    /** A reason about the whole record. */
    public static Reason whole(ReasonCode code, String message) {
        return new Reason(code, null, message);
    }
}
