package io.tuneforge.registry.messaging;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.registry.persistence.OutboxEventEntity;
import io.tuneforge.registry.persistence.OutboxEventRepository;
import io.tuneforge.servicekit.messaging.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Where the registry puts the events it emits (ModelVersionRegistered, AliasSet): a row in {@code outbox_event},
 * written in the transaction that decided the event, so the event exists if and only if the change committed.
 * {@link OutboxRelay} sends the rows to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxEventRepository rows;
    private final EventSource source;

    public Outbox(OutboxEventRepository rows, EventSource source) {
        this.rows = rows;
        this.source = source;
    }

    /** Adds the event to the outbox of the current transaction; returns it with its id and time. */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends EventPayload> EventEnvelope<T> add(T payload) {
        EventEnvelope<T> event = source.envelope(payload);
        OutboxEventEntity row = new OutboxEventEntity();
        row.eventId = event.id();
        row.type = event.type().type();
        row.subject = event.subject();
        row.source = event.source();
        row.time = event.time();
        row.payload = Json.write(payload);
        rows.persist(row);
        return event;
    }

    /** The event a row holds, as it was added. */
    static EventEnvelope<EventPayload> envelope(OutboxEventEntity row) {
        EventType type = EventType.fromType(row.type).orElseThrow(() -> new IllegalStateException(
                "Outbox row " + row.id + " has unknown event type '" + row.type + "'"));
        EventPayload data = Json.read(row.payload, type.payloadClass());
        return new EventEnvelope<>(row.eventId, row.source, type, row.subject, row.time, data);
    }
}
