package io.tuneforge.data.service;

import io.tuneforge.contracts.event.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/** Pipeline settings that cannot be used; {@link #errors()} names every bad one with what would be right. */
public class InvalidSettingsException extends Exception {

    private final List<FieldError> errors;

    public InvalidSettingsException(List<FieldError> errors) {
        super(errors.size() + " invalid setting" + (errors.size() == 1 ? "" : "s") + ": " + errors.stream()
                .map(e -> e.path() + ": " + e.reason()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
