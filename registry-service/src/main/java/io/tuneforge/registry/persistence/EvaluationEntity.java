package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** A base vs tuned evaluation ({@code evaluation}), from EvaluationCompleted or EvaluationFailed. */
@Entity
@Table(name = "evaluation")
public class EvaluationEntity {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "eval_id", length = 200)
    public String evalId;

    /** The run whose result was evaluated; null for an ad-hoc evaluation. */
    @Column(name = "run_id", length = 200)
    public String runId;

    /** {@link #COMPLETED} or {@link #FAILED}. */
    @Column(nullable = false, length = 16)
    public String status;

    /** JSON object: metric name → {base, tuned, delta}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String metrics;

    @Column(name = "report_uri", length = 2048)
    public String reportUri;

    /** {@code s3://.../evals/{evalId}/samples.jsonl}: base and tuned outputs side by side. */
    @Column(name = "samples_uri", length = 2048)
    public String samplesUri;

    @Column(name = "samples_evaluated")
    public Integer samplesEvaluated;

    @Column(name = "error_code", length = 64)
    public String errorCode;

    @Column(name = "error_message", columnDefinition = "text")
    public String errorMessage;

    @Column(name = "event_id", nullable = false, length = 200)
    public String eventId;

    /** When the evaluation finished (the event's time). */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
