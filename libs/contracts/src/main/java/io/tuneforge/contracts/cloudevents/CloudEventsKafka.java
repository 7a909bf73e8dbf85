package io.tuneforge.contracts.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.event.RequiredFields;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as {@code ce_*} headers and the
 * record value is the JSON data. A record without {@code ce_type} is read as a plain JSON payload of the topic's
 * default type, so that {@code kafka-console-producer} is a valid client for the training command topic.
 * <p>
 * Decoding checks, in order: the value is a JSON object; the headers ({@code ce_type} known, {@code ce_id},
 * {@code ce_source}, {@code ce_specversion} 1.0, {@code ce_time} RFC 3339 when present); the payload binds; it has
 * every {@link io.tuneforge.contracts.event.Required} field. A training request is instead parsed and validated in
 * full ({@link TrainingRequests#parse(JsonNode)}) and, when bad, refused with {@link InvalidTrainingRequestException},
 * which carries every field error so that the trainer can answer with {@code TrainingFailed}.
 */
public final class CloudEventsKafka {

    public static final String SPEC_VERSION = "1.0";
    public static final String H_SPEC_VERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_SUBJECT = "ce_subject";
    public static final String H_TIME = "ce_time";
    public static final String H_CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    /** Source attribute given to plain JSON records, which carry none. */
    public static final String PLAIN_JSON_SOURCE = "/tuneforge/plain-json";

    private CloudEventsKafka() {
    }

    public static KafkaRecordParts encode(EventEnvelope<?> event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(H_SPEC_VERSION, SPEC_VERSION);
        headers.put(H_ID, event.id());
        headers.put(H_SOURCE, event.source());
        headers.put(H_TYPE, event.type().type());
        if (event.subject() != null) {
            headers.put(H_SUBJECT, event.subject());
        }
        headers.put(H_TIME, event.time().toString());
        headers.put(H_CONTENT_TYPE, JSON);
        return new KafkaRecordParts(event.subject(), headers, Json.write(event.data()));
    }

    /**
     * Reads one record.
     *
     * @param headers          the record's headers as UTF-8 strings (absent headers simply missing)
     * @param value            the record value
     * @param plainJsonType    type assumed when the record has no {@code ce_type} header; null = such records are refused
     * @param fallbackId       event id for plain JSON records (e.g. {@code topic-partition-offset}, stable across redelivery)
     * @throws EventDecodingException          with a reason fit for the dead-letter topic: not a JSON object, a
     *                                         missing or bad {@code ce_*} header, an unknown type, a payload that
     *                                         cannot be bound or lacks a {@link io.tuneforge.contracts.event.Required}
     *                                         field ("TrainingCancelRequested is missing required field 'runId'")
     * @throws InvalidTrainingRequestException (a subclass) for a training request with bad fields: answer it with
     *                                         {@code TrainingFailed}, do not dead-letter it
     */
    public static EventEnvelope<EventPayload> decode(Map<String, String> headers, String value, EventType plainJsonType,
                                                     String fallbackId) {
        if (value == null || value.isBlank()) {
            throw new EventDecodingException("Expected a JSON object as the record value, got an empty value");
        }
        JsonNode data;
        try {
            data = Json.mapper().readTree(value);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException("Record value is not JSON: " + e.getOriginalMessage(), e);
        }
        if (data == null || !data.isObject()) {
            throw new EventDecodingException("Expected a JSON object as the record value, got "
                    + (data == null ? "nothing" : data.getNodeType().toString().toLowerCase()));
        }
        String typeName = headers.get(H_TYPE);
        EventType type;
        String id;
        String source;
        Instant time;
        if (typeName == null) {
            if (plainJsonType == null) {
                throw new EventDecodingException("Expected record header '" + H_TYPE + "' not present");
            }
            type = plainJsonType;
            id = fallbackId != null ? fallbackId : UUID.randomUUID().toString();
            source = PLAIN_JSON_SOURCE;
            time = Instant.now();
        } else {
            type = EventType.fromType(typeName).orElseThrow(() -> new EventDecodingException(
                    "Unknown event type '" + typeName + "' in header '" + H_TYPE + "'"));
            id = require(headers, H_ID);
            source = require(headers, H_SOURCE);
            String spec = require(headers, H_SPEC_VERSION);
            if (!SPEC_VERSION.equals(spec)) {
                throw new EventDecodingException("Unsupported CloudEvents spec version '" + spec + "'; expected 1.0");
            }
            time = parseTime(headers.get(H_TIME));
        }
        EventPayload payload;
        if (type.payloadClass() == TrainingRequest.class) {
            ParsedTrainingRequest parsed = TrainingRequests.parse(data);
            if (!parsed.isValid()) {
                throw new InvalidTrainingRequestException(id, source, time, parsed);
            }
            payload = parsed.request();
        } else {
            try {
                payload = Json.mapper().treeToValue(data, type.payloadClass());
            } catch (JsonProcessingException | IllegalArgumentException e) {
                String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new EventDecodingException("Record value is not a valid " + type.payloadClass().getSimpleName()
                        + ": " + reason, e);
            }
            List<String> missing = RequiredFields.missing(type.payloadClass().asSubclass(Record.class), data);
            if (!missing.isEmpty()) {
                throw new EventDecodingException(RequiredFields.describe(type.payloadClass(), missing));
            }
        }
        String subject = headers.getOrDefault(H_SUBJECT, payload.aggregateId());
        return new EventEnvelope<>(id, source, type, subject, time, payload);
    }

    private static String require(Map<String, String> headers, String name) {
        String v = headers.get(name);
        if (v == null || v.isBlank()) {
            throw new EventDecodingException("Expected record header '" + name + "' not present");
        }
        return v;
    }

    private static Instant parseTime(String value) {
        if (value == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new EventDecodingException("Header '" + H_TIME + "' is not an RFC 3339 time: '" + value + "'", e);
        }
    }
}
