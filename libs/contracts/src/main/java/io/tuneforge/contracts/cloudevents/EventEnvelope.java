package io.tuneforge.contracts.cloudevents;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event with a typed payload.
 *
 * @param id      unique event id, the consumers' idempotency key
 * @param source  URI reference of the producer, e.g. {@code /tuneforge/trainer-service}
 * @param type    {@code io.tuneforge.<aggregate>.<fact>}
 * @param subject the aggregate id (also the Kafka record key)
 * @param time    when the fact happened
 * @param data    the payload
 */
public record EventEnvelope<T extends EventPayload>(String id, String source, EventType type, String subject,
                                                    Instant time, T data) {

    /** A new event about {@code data}, stamped now, with a fresh random id. */
    public static <T extends EventPayload> EventEnvelope<T> of(String source, T data) {
        return new EventEnvelope<>(UUID.randomUUID().toString(), source, EventType.of(data.getClass()),
                data.aggregateId(), Instant.now().truncatedTo(ChronoUnit.MILLIS), data);
    }

    /** The payload as the given class; throws naming both types when it is another one. */
    public <P extends EventPayload> P dataAs(Class<P> payloadClass) {
        if (!payloadClass.isInstance(data)) {
            throw new IllegalStateException("Event " + id + " of type " + type.type() + " carries "
                    + data.getClass().getSimpleName() + ", not " + payloadClass.getSimpleName());
        }
        return payloadClass.cast(data);
    }
}
