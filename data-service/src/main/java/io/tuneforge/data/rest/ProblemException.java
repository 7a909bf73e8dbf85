package io.tuneforge.data.rest;

import io.tuneforge.contracts.event.FieldError;

import java.util.List;

/** Ends a request with a problem+json response. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldError> errors;

    public ProblemException(int status, String code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "NOT_FOUND", detail, List.of());
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "BAD_REQUEST", detail, List.of());
    }

    /** A bad query parameter, named as such. */
    public static ProblemException badParameter(String name, String reason) {
        return new ProblemException(400, "BAD_REQUEST", "query parameter '" + name + "' " + reason,
                List.of(new FieldError(name, reason)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
