package io.tuneforge.trainer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;

/**
 * Routes a record of the training command topic. A record without {@code ce_type} is a plain JSON training request
 * ({@code kafka-console-producer} is a valid client). Training requests stay raw JSON so that every bad field can be
 * answered at once; cancels and anything else go through the contracts codec.
 * <p>
 * Throws {@link EventDecodingException} (→ dead-letter topic) for what cannot be answered: a value that is not a JSON
 * object, broken CloudEvents headers, a cancel without run id, an event type that does not belong on this topic.
 */
public final class TrainingCommandReader {

    private TrainingCommandReader() {
    }

    public static TrainingCommand read(Message<String> message) {
        Map<String, String> headers = IncomingEvents.headers(message);
        String type = headers.get(CloudEventsKafka.H_TYPE);
        if (type == null || type.equals(EventType.TRAINING_REQUESTED.type())) {
            requireJsonObject(message.getPayload());
            String id = type == null ? IncomingEvents.fallbackId(message) : requireCloudEventId(headers);
            return new TrainingCommand.Request(id, message.getPayload());
        }
        EventEnvelope<EventPayload> event = IncomingEvents.decode(message, null);
        if (event.type() != EventType.TRAINING_CANCEL_REQUESTED) {
            throw new EventDecodingException("Event type '" + type + "' does not belong on " + Topics.TRAINING_COMMANDS
                    + "; expected " + EventType.TRAINING_REQUESTED.type() + " or "
                    + EventType.TRAINING_CANCEL_REQUESTED.type());
        }
        TrainingCancelRequested cancel = event.dataAs(TrainingCancelRequested.class);
        if (cancel.runId() == null || cancel.runId().isBlank()) {
            throw new EventDecodingException("TrainingCancelRequested is missing required field 'runId'");
        }
        return new TrainingCommand.Cancel(event.id(), cancel);
    }

    private static void requireJsonObject(String value) {
        if (value == null || value.isBlank()) {
            throw new EventDecodingException("Expected a JSON object as the record value, got an empty value");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(value);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException("Record value is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new EventDecodingException("Expected a JSON object as the record value, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
    }

    private static String requireCloudEventId(Map<String, String> headers) {
        String spec = headers.get(CloudEventsKafka.H_SPEC_VERSION);
        if (spec != null && !CloudEventsKafka.SPEC_VERSION.equals(spec)) {
            throw new EventDecodingException("Unsupported CloudEvents spec version '" + spec + "'; expected 1.0");
        }
        String id = headers.get(CloudEventsKafka.H_ID);
        if (id == null || id.isBlank()) {
            throw new EventDecodingException("Expected record header '" + CloudEventsKafka.H_ID + "' not present");
        }
        return id;
    }
}
