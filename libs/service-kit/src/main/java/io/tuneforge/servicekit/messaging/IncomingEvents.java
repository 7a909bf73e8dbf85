package io.tuneforge.servicekit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an incoming Kafka record as a platform event with the contracts codec ({@link CloudEventsKafka#decode}).
 * <p>
 * Typical consumer, in the shape every service uses:
 * <pre>{@code
 * @Incoming("training-commands") @Blocking
 * public CompletionStage<Void> onCommand(Message<String> message) {
 *     EventEnvelope<EventPayload> event;
 *     try {
 *         event = IncomingEvents.decode(message, EventType.TRAINING_REQUESTED);
 *     } catch (EventDecodingException e) {
 *         return message.nack(e);   // failure-strategy=dead-letter-queue: reason in 'dead-letter-reason'
 *     }
 *     ...
 *     return message.ack();
 * }
 * }</pre>
 */
public final class IncomingEvents {

    private IncomingEvents() {
    }

    /**
     * Decodes the message's headers and value.
     *
     * @param plainJsonType type assumed for a record without {@code ce_type}; null = such records are refused
     * @throws EventDecodingException with a reason fit for the dead-letter topic
     */
    public static EventEnvelope<EventPayload> decode(Message<String> message, EventType plainJsonType) {
        Optional<IncomingKafkaRecordMetadata> metadata = kafkaMetadata(message);
        Map<String, String> headers = metadata.map(m -> headers(m.getHeaders())).orElse(Map.of());
        return CloudEventsKafka.decode(headers, message.getPayload(), plainJsonType, fallbackId(message));
    }

    /** The record's headers as UTF-8 strings; when a name repeats, the last value wins; null values are skipped. */
    public static Map<String, String> headers(Headers headers) {
        Map<String, String> result = new LinkedHashMap<>();
        if (headers == null) {
            return result;
        }
        for (Header header : headers) {
            if (header.value() != null) {
                result.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    /** The headers of an incoming Kafka message; empty when it did not come from Kafka. */
    public static Map<String, String> headers(Message<?> message) {
        return kafkaMetadata(message).map(m -> headers(m.getHeaders())).orElse(Map.of());
    }

    /**
     * {@code topic-partition-offset}: stable across redeliveries of the same record, so it serves as the
     * idempotency key of plain JSON records, which carry no {@code ce_id}. Null outside Kafka.
     */
    public static String fallbackId(Message<?> message) {
        return kafkaMetadata(message).map(m -> m.getTopic() + "-" + m.getPartition() + "-" + m.getOffset())
                .orElse(null);
    }

    /** Where the message came from, for logs: {@code topic[partition]@offset key=k}. */
    public static String describe(Message<?> message) {
        return kafkaMetadata(message)
                .map(m -> m.getTopic() + "[" + m.getPartition() + "]@" + m.getOffset() + " key=" + m.getKey())
                .orElse("(not from Kafka)");
    }

    @SuppressWarnings("unchecked")
    private static Optional<IncomingKafkaRecordMetadata> kafkaMetadata(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class);
    }
}
