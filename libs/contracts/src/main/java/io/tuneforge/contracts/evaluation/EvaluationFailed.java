package io.tuneforge.contracts.evaluation;

import io.tuneforge.contracts.event.EventPayload;

/** The evaluation could not run; {@code message} says why and what to do. */
public record EvaluationFailed(int schemaVersion, String evalId, String runId, String errorCode, String message)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return evalId;
    }
}
