package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/**
 * An event the registry emits ({@code outbox_event}), written in the transaction that decided it and sent to Kafka
 * by the outbox relay afterwards; {@code sentAt} is set once the broker acknowledged it.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** CloudEvents id; the same on a resend, so consumers can drop the repeat. */
    @Column(name = "event_id", nullable = false, length = 200)
    public String eventId;

    /** CloudEvents type, e.g. io.tuneforge.registry.alias-set. */
    @Column(nullable = false, length = 100)
    public String type;

    /** The aggregate id (model name); also the Kafka record key. */
    @Column(nullable = false, length = 300)
    public String subject;

    @Column(nullable = false, length = 200)
    public String source;

    @Column(nullable = false)
    public Instant time;

    /** The event's data as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String payload;

    @Column(name = "sent_at")
    public Instant sentAt;
}
