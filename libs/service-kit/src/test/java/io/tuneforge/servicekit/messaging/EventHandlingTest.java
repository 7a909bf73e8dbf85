package io.tuneforge.servicekit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.servicekit.idempotency.InMemoryProcessedEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer body every service shares: dead-letter, idempotency, ack only when the handler is done. */
class EventHandlingTest {

    private static final String PLAIN_REQUEST =
            "{\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"id\":\"ds-1\",\"version\":1}}";

    private final InMemoryProcessedEvents processed = new InMemoryProcessedEvents();
    private final List<String> handled = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();

    @Test
    void plainJsonCommandIsHandledOnceAndAcknowledged() {
        Message<String> record = incoming(new RecordHeaders(), PLAIN_REQUEST, 5);

        EventHandling.command(record, EventType.TRAINING_REQUESTED, processed, this::handle);
        EventHandling.command(record, EventType.TRAINING_REQUESTED, processed, this::handle);

        assertEquals(List.of(Topics.TRAINING_COMMANDS + "-0-5"), handled, "the redelivery must not run again");
        assertEquals(List.of("ack", "ack"), outcomes);
    }

    @Test
    void commandOfAnotherTypeIsDeadLetteredNamingTheTypeThatBelongs() {
        Message<String> record = cloudEvent(TrainingCancelRequested.of("run-1", "no"), 6);

        EventHandling.command(record, EventType.TRAINING_REQUESTED, processed, this::handle);

        assertEquals(List.of(), handled);
        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).startsWith("nack: Event type 'io.tuneforge.training.cancel-requested' does not"
                + " belong on tuneforge.training.commands; expected io.tuneforge.training.requested"), outcomes.get(0));
    }

    @Test
    void eventTopicRefusesPlainJson() {
        EventHandling.event(incoming(new RecordHeaders(), PLAIN_REQUEST, 7), processed, this::handle);

        assertEquals(List.of(), handled);
        assertTrue(outcomes.get(0).startsWith("nack: "), String.valueOf(outcomes));
    }

    @Test
    void handlerThatDidNotFinishLeavesTheRecordUnacknowledgedAndUnrecorded() {
        Message<String> record = cloudEvent(TrainingCancelRequested.of("run-2", "stop"), 8);

        var stage = EventHandling.event(record, processed, event -> false);

        assertEquals(List.of(), outcomes, "neither ack nor nack: the record is delivered again after a restart");
        assertTrue(!stage.toCompletableFuture().isDone());
        EventHandling.event(record, processed, this::handle);
        assertEquals(1, handled.size(), "an unfinished event is handled again");
        assertEquals(List.of("ack"), outcomes);
    }

    private boolean handle(io.tuneforge.contracts.cloudevents.EventEnvelope<?> event) {
        handled.add(event.id());
        return true;
    }

    private Message<String> cloudEvent(TrainingCancelRequested payload, long offset) {
        Message<String> out = OutgoingEvents.message(new EventSource("test").envelope(payload));
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> meta = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        return incoming((RecordHeaders) meta.getHeaders(), out.getPayload(), offset);
    }

    private Message<String> incoming(RecordHeaders headers, String value, long offset) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.TRAINING_COMMANDS, 0, offset, 0L,
                TimestampType.CREATE_TIME, -1, -1, null, value, headers, Optional.empty());
        return Message.of(value, Metadata.of(new IncomingKafkaRecordMetadata<>(record, "training-commands")),
                () -> {
                    outcomes.add("ack");
                    return CompletableFuture.completedFuture(null);
                },
                e -> {
                    assertInstanceOf(EventDecodingException.class, e);
                    outcomes.add("nack: " + e.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
    }
}
