package io.tuneforge.servicekit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An event written by {@link OutgoingEvents} reads back through {@link IncomingEvents} as the same event. */
class EventsRoundTripTest {

    private final EventSource source = new EventSource("trainer-service");

    @Test
    void outgoingMessageCarriesKeyAndCloudEventsHeaders() {
        EventEnvelope<TrainingCancelRequested> event = source.envelope(TrainingCancelRequested.of("run-7", "user asked"));

        Message<String> message = OutgoingEvents.message(event);

        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> metadata =
                message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals("run-7", metadata.getKey());
        assertEquals("/tuneforge/trainer-service", header(metadata.getHeaders().lastHeader("ce_source")));
        assertEquals("io.tuneforge.training.cancel-requested", header(metadata.getHeaders().lastHeader("ce_type")));
        assertEquals(event.id(), header(metadata.getHeaders().lastHeader("ce_id")));
        assertTrue(message.getPayload().contains("\"runId\":\"run-7\""), message.getPayload());
    }

    @Test
    void incomingRecordDecodesToTheEventThatWasSent() {
        EventEnvelope<TrainingCancelRequested> sent = source.envelope(TrainingCancelRequested.of("run-7", "user asked"));
        Message<String> out = OutgoingEvents.message(sent);
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> outMeta = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();

        Message<String> in = incoming(outMeta.getKey(), (RecordHeaders) outMeta.getHeaders(), out.getPayload(), 41);
        EventEnvelope<EventPayload> received = IncomingEvents.decode(in, EventType.TRAINING_REQUESTED);

        assertEquals(sent.id(), received.id());
        assertEquals(EventType.TRAINING_CANCEL_REQUESTED, received.type());
        assertEquals(sent.data(), received.dataAs(TrainingCancelRequested.class));
        assertEquals(sent.time(), received.time());
    }

    @Test
    void plainJsonRecordGetsTheTopicDefaultTypeAndAStableFallbackId() {
        Message<String> in = incoming(null, new RecordHeaders(),
                "{\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"id\":\"ds-1\",\"version\":1}}", 12);

        EventEnvelope<EventPayload> first = IncomingEvents.decode(in, EventType.TRAINING_REQUESTED);
        EventEnvelope<EventPayload> again = IncomingEvents.decode(in, EventType.TRAINING_REQUESTED);

        assertEquals(EventType.TRAINING_REQUESTED, first.type());
        assertEquals(Topics.TRAINING_COMMANDS + "-0-12", first.id());
        assertEquals(first.id(), again.id());
        assertEquals("ds-1", first.dataAs(TrainingRequest.class).dataset().id());
    }

    @Test
    void notJsonIsRefusedWithAReasonForTheDeadLetterTopic() {
        Message<String> in = incoming(null, new RecordHeaders(), "this is not json", 3);

        EventDecodingException e = assertThrows(EventDecodingException.class,
                () -> IncomingEvents.decode(in, EventType.TRAINING_REQUESTED));
        assertTrue(e.getMessage().startsWith("Record value is not JSON"), e.getMessage());
    }

    @Test
    void messageOutsideKafkaHasNoHeadersAndNoFallbackId() {
        Message<String> plain = Message.of("{}");
        assertTrue(IncomingEvents.headers(plain).isEmpty());
        assertNull(IncomingEvents.fallbackId(plain));
        assertEquals("(not from Kafka)", IncomingEvents.describe(plain));
    }

    private static Message<String> incoming(String key, RecordHeaders headers, String value, long offset) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.TRAINING_COMMANDS, 0, offset, 0L,
                TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
        return Message.of(value, Metadata.of(new IncomingKafkaRecordMetadata<>(record, "training-commands")));
    }

    private static String header(Header header) {
        return new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
