package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.event.Required;

import java.util.List;

/**
 * The run cannot go on.
 *
 * @param errorCode   machine-readable reason
 * @param message     what went wrong and what to do about it
 * @param fieldErrors each bad request field (for INVALID_REQUEST and the like); empty otherwise
 * @param request     the request as received, when it could be read (null for unreadable input)
 */
public record TrainingFailed(int schemaVersion, @Required String runId, @Required TrainingErrorCode errorCode, @Required String message,
                             List<FieldError> fieldErrors, TrainingRequest request) implements EventPayload {

    public static TrainingFailed of(String runId, TrainingErrorCode code, String message, List<FieldError> fieldErrors,
                                    TrainingRequest request) {
        return new TrainingFailed(1, runId, code, message, fieldErrors == null ? List.of() : List.copyOf(fieldErrors),
                request);
    }

    @Override
    public String aggregateId() {
        return runId;
    }
}
