package io.tuneforge.contracts.cloudevents;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.event.PayloadExamples;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventsKafkaTest {

    private static final String SOURCE = "/tuneforge/test";

    private static Map<String, String> headersOf(EventType type) {
        Map<String, String> h = new HashMap<>();
        h.put(CloudEventsKafka.H_SPEC_VERSION, "1.0");
        h.put(CloudEventsKafka.H_ID, "evt-1");
        h.put(CloudEventsKafka.H_SOURCE, SOURCE);
        h.put(CloudEventsKafka.H_TYPE, type.type());
        return h;
    }

    private static EventDecodingException refused(Map<String, String> headers, String value) {
        return assertThrows(EventDecodingException.class, () -> CloudEventsKafka.decode(headers, value, null, null));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void encodeThenDecodeGivesTheSameEvent(EventType type) {
        EventPayload data = PayloadExamples.of(type);
        EventEnvelope<EventPayload> sent = EventEnvelope.of(SOURCE, data);
        KafkaRecordParts parts = CloudEventsKafka.encode(sent);

        assertEquals(data.aggregateId(), parts.key());
        assertEquals(type.type(), parts.headers().get("ce_type"));
        assertEquals("1.0", parts.headers().get("ce_specversion"));
        assertEquals("application/json", parts.headers().get("content-type"));

        EventEnvelope<EventPayload> received = CloudEventsKafka.decode(parts.headers(), parts.value(), null, null);
        assertEquals(sent, received);
    }

    @Test
    void plainJsonTrainingRequestWithoutHeadersIsReadAsTheTopicsDefaultType() {
        String json = """
                {"runId": "run-plain", "baseModel": "s3://tuneforge/models/tiny/", "dataset": {"id": "ds", "version": 1}}
                """;
        EventEnvelope<EventPayload> e = CloudEventsKafka.decode(Map.of(), json, EventType.TRAINING_REQUESTED,
                "tuneforge.training.commands-0-17");
        assertEquals(EventType.TRAINING_REQUESTED, e.type());
        assertEquals("tuneforge.training.commands-0-17", e.id());
        assertEquals(CloudEventsKafka.PLAIN_JSON_SOURCE, e.source());
        assertEquals("run-plain", e.subject());
        TrainingRequest r = e.dataAs(TrainingRequest.class);
        assertEquals(1, r.schemaVersion());
        assertEquals("s3://tuneforge/models/tiny/", r.baseModel());
    }

    @Test
    void plainJsonWithoutAFallbackIdGetsAFreshOne() {
        String json = "{\"baseModel\": \"/models/tiny\", \"dataset\": {\"path\": \"train.jsonl\"}}";
        EventEnvelope<EventPayload> e = CloudEventsKafka.decode(Map.of(), json, EventType.TRAINING_REQUESTED, null);
        assertNotNull(e.id());
        assertNull(e.subject(), "no run id yet: the trainer generates one");
    }

    @Test
    void refusesValueThatIsNotJson() {
        EventDecodingException e = refused(headersOf(EventType.TRAINING_CANCEL_REQUESTED), "{runId: r1");
        assertTrue(e.getMessage().startsWith("Record value is not JSON: "), e.getMessage());
    }

    @Test
    void refusesJsonArray() {
        assertEquals("Expected a JSON object as the record value, got array",
                refused(headersOf(EventType.TRAINING_CANCEL_REQUESTED), "[{\"runId\": \"r1\"}]").getMessage());
    }

    @Test
    void refusesEmptyValue() {
        assertEquals("Expected a JSON object as the record value, got an empty value",
                refused(headersOf(EventType.TRAINING_CANCEL_REQUESTED), "").getMessage());
        assertEquals("Expected a JSON object as the record value, got an empty value",
                refused(headersOf(EventType.TRAINING_CANCEL_REQUESTED), null).getMessage());
    }

    @Test
    void refusesMissingCeId() {
        Map<String, String> h = headersOf(EventType.TRAINING_CANCEL_REQUESTED);
        h.remove(CloudEventsKafka.H_ID);
        assertEquals("Expected record header 'ce_id' not present", refused(h, "{\"runId\": \"r1\"}").getMessage());
    }

    @Test
    void refusesMissingCeTypeWhenTheTopicHasNoPlainJsonType() {
        assertEquals("Expected record header 'ce_type' not present", refused(Map.of(), "{\"runId\": \"r1\"}").getMessage());
    }

    @Test
    void refusesUnknownCeType() {
        Map<String, String> h = headersOf(EventType.TRAINING_CANCEL_REQUESTED);
        h.put(CloudEventsKafka.H_TYPE, "io.tuneforge.training.exploded");
        assertEquals("Unknown event type 'io.tuneforge.training.exploded' in header 'ce_type'",
                refused(h, "{\"runId\": \"r1\"}").getMessage());
    }

    @Test
    void refusesOtherSpecVersion() {
        Map<String, String> h = headersOf(EventType.TRAINING_CANCEL_REQUESTED);
        h.put(CloudEventsKafka.H_SPEC_VERSION, "0.3");
        assertEquals("Unsupported CloudEvents spec version '0.3'; expected 1.0",
                refused(h, "{\"runId\": \"r1\"}").getMessage());
    }

    @Test
    void refusesBadCeTime() {
        Map<String, String> h = headersOf(EventType.TRAINING_CANCEL_REQUESTED);
        h.put(CloudEventsKafka.H_TIME, "yesterday");
        assertEquals("Header 'ce_time' is not an RFC 3339 time: 'yesterday'",
                refused(h, "{\"runId\": \"r1\"}").getMessage());
    }

    @Test
    void readsCeTime() {
        Map<String, String> h = headersOf(EventType.TRAINING_CANCEL_REQUESTED);
        h.put(CloudEventsKafka.H_TIME, "2026-11-29T10:15:30.123Z");
        assertEquals(Instant.parse("2026-11-29T10:15:30.123Z"),
                CloudEventsKafka.decode(h, "{\"runId\": \"r1\"}", null, null).time());
    }

    @Test
    void refusesPayloadMissingARequiredField() {
        assertEquals("TrainingCancelRequested is missing required field 'runId'",
                refused(headersOf(EventType.TRAINING_CANCEL_REQUESTED), "{\"schemaVersion\": 1, \"reason\": \"x\"}")
                        .getMessage());
    }

    @Test
    void namesEveryMissingRequiredField() {
        String value = "{\"schemaVersion\": 1, \"datasetId\": \"ds\", \"train\": {\"sha256\": \"ab\"}}";
        assertEquals("DatasetPrepared is missing required fields 'version', 'format', 'train.uri', 'manifest'",
                refused(headersOf(EventType.DATASET_PREPARED), value).getMessage());
    }

    @Test
    void refusesPayloadThatCannotBeBound() {
        EventDecodingException e = refused(headersOf(EventType.TRAINING_CHECKPOINTED),
                "{\"runId\": \"r1\", \"step\": \"many\", \"checkpoint\": {\"uri\": \"s3://b/k/\"}}");
        assertTrue(e.getMessage().startsWith("Record value is not a valid TrainingCheckpointed: "), e.getMessage());
    }

    @Test
    void subjectDefaultsToTheAggregateId() {
        EventEnvelope<EventPayload> e = CloudEventsKafka.decode(headersOf(EventType.TRAINING_CANCEL_REQUESTED),
                "{\"runId\": \"r1\"}", null, null);
        assertEquals("r1", e.subject());
        assertEquals(TrainingCancelRequested.of("r1", null).runId(), e.dataAs(TrainingCancelRequested.class).runId());
    }

    @Test
    void badTrainingRequestIsRefusedWithEveryFieldErrorAndItsRunIdForTrainingFailed() {
        String json = """
                {"runId": "run-bad", "baseModel": "s3://tuneforge/models/tiny/", "dataset": {"id": "ds", "version": 0},
                 "hyperparameters": {"epochs": "three", "learningRate": 5}}
                """;
        InvalidTrainingRequestException e = assertThrows(InvalidTrainingRequestException.class,
                () -> CloudEventsKafka.decode(Map.of(), json, EventType.TRAINING_REQUESTED, "t-0-5"));
        assertInstanceOf(EventDecodingException.class, e);
        assertEquals("t-0-5", e.eventId());
        assertEquals("run-bad", e.parsed().runId());
        assertEquals(List.of("hyperparameters.epochs", "dataset.version", "hyperparameters.learningRate"),
                e.parsed().errors().stream().map(FieldError::path).toList());
        assertTrue(e.getMessage().startsWith("Training request 'run-bad' has 3 invalid fields: "
                + "hyperparameters.epochs: expected a positive integer up to 1000, got \"three\""), e.getMessage());
    }
}
