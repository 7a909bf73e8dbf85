package io.tuneforge.contracts.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tuneforge.contracts.event.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link TrainingRequests#parse(String)} made of a JSON training request.
 *
 * @param request  the request as bound (bad fields left out), or null when nothing could be bound (not a JSON object)
 * @param runId    the request's {@code runId} when it holds a valid id, even if other fields are bad, so that a
 *                 failure can be reported under it; null when absent or invalid (the caller generates one)
 * @param errors   every bad field, in document order of the checks; empty when the request can run
 * @param warnings things that do not stop the run, such as unknown fields that were ignored (possible typos)
 */
public record ParsedTrainingRequest(TrainingRequest request, String runId, List<FieldError> errors,
                                    List<FieldError> warnings) {

    public ParsedTrainingRequest {
        errors = errors == null ? List.of() : List.copyOf(errors);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ParsedTrainingRequest(TrainingRequest request, String runId, List<FieldError> errors) {
        this(request, runId, errors, List.of());
    }

    /** True when the request was bound and has no bad field. */
    @JsonIgnore
    public boolean isValid() {
        return request != null && errors.isEmpty();
    }

    /** One line for a person: {@code "2 invalid fields: hyperparameters.epochs: expected ...; lora.r: expected ..."}. */
    public String describeErrors() {
        if (errors.isEmpty()) {
            return "no invalid fields";
        }
        return errors.size() + (errors.size() == 1 ? " invalid field: " : " invalid fields: ")
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}
