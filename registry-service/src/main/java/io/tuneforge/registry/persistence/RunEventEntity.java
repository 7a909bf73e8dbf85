package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One entry of a run's timeline ({@code run_event}): a training event as it was received. */
@Entity
@Table(name = "run_event")
public class RunEventEntity {

    /** The CloudEvents id. */
    @Id
    @Column(name = "event_id", length = 200)
    public String eventId;

    @Column(name = "run_id", nullable = false, length = 200)
    public String runId;

    /** CloudEvents type, e.g. {@code io.tuneforge.training.failed}. */
    @Column(nullable = false, length = 100)
    public String type;

    /** CloudEvents time: when the fact happened. */
    @Column(nullable = false)
    public Instant time;

    /** The event's data as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String payload;
}
