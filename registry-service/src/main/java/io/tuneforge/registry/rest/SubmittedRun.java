package io.tuneforge.registry.rest;

import io.tuneforge.contracts.event.FieldError;

import java.util.List;

/**
 * The answer to a submitted training request (202 Accepted).
 *
 * @param runId    the run's id (generated when the request had none)
 * @param eventId  the id of the published TrainingRequested command
 * @param status   validating: trainer-service has it next
 * @param warnings fields that were ignored (possible typos)
 * @param run      where to follow the run
 */
public record SubmittedRun(String runId, String eventId, String status, List<FieldError> warnings, String run) {
}
