package io.tuneforge.servicekit.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.cloudevents.KafkaRecordParts;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * Turns an event into a Kafka message in CloudEvents binary mode: record key = aggregate id (so one run's events
 * stay in order), {@code ce_*} headers, JSON data as the value. Channels that send these set
 * {@code cloud-events=false} so the connector does not add headers of its own.
 * <pre>{@code
 * emitter.sendMessageAndAwait(OutgoingEvents.message(source.envelope(TrainingQueued.of(request))));
 * }</pre>
 */
public final class OutgoingEvents {

    private OutgoingEvents() {
    }

    public static Message<String> message(EventEnvelope<?> event) {
        KafkaRecordParts parts = CloudEventsKafka.encode(event);
        RecordHeaders headers = new RecordHeaders();
        parts.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(parts.key())
                .withHeaders(headers)
                .build();
        return Message.of(parts.value()).addMetadata(metadata);
    }
}
