package io.tuneforge.contracts.evaluation;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** The evaluation could not run; {@code message} says why and what to do. */
public record EvaluationFailed(int schemaVersion, @Required String evalId, String runId, String errorCode, @Required String message)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return evalId;
    }
}
