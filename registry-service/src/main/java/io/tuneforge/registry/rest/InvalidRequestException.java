package io.tuneforge.registry.rest;

import io.tuneforge.contracts.event.FieldError;

import java.util.List;

/** Ends a request with 400 and a {@link ValidationProblem} naming every bad field. */
public class InvalidRequestException extends ProblemException {

    private final List<FieldError> errors;
    private final List<FieldError> warnings;

    public InvalidRequestException(String detail, List<FieldError> errors, List<FieldError> warnings) {
        super(400, "Bad Request", detail);
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public List<FieldError> warnings() {
        return warnings;
    }
}
