package io.tuneforge.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.registry.persistence.RunEventEntity;

import java.time.Instant;

/**
 * One entry of a run's timeline.
 *
 * @param eventId CloudEvents id
 * @param type    CloudEvents type, e.g. io.tuneforge.training.progress
 * @param time    when the fact happened
 * @param data    the event's payload
 */
public record RunEventView(String eventId, String type, Instant time, JsonNode data) {

    public static RunEventView from(RunEventEntity e) {
        return new RunEventView(e.eventId, e.type, e.time, JsonColumns.tree(e.payload));
    }
}
