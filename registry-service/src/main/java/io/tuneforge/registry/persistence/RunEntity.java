package io.tuneforge.registry.persistence;

import io.tuneforge.contracts.training.TrainingStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/**
 * One training run and where it stands ({@code run}). Events may arrive out of order, so every column but the id,
 * status and times may be filled in late (a TrainingFailed can be seen before its TrainingQueued).
 */
@Entity
@Table(name = "run")
public class RunEntity {

    @Id
    @Column(name = "run_id", length = 200)
    public String runId;

    /** Stored as the lower-case wire name: validating, queued, running, succeeded, failed, cancelled. */
    @Column(nullable = false, length = 32)
    @Convert(converter = TrainingStatusConverter.class)
    public TrainingStatus status;

    /** TrainingErrorCode name of a failed run. */
    @Column(name = "error_code", length = 64)
    public String errorCode;

    @Column(name = "error_message", columnDefinition = "text")
    public String errorMessage;

    /** JSON array of {path, reason}: the bad request fields of a failed run. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "error_fields")
    public String errorFields;

    /** JSON of the TrainingRequest as it ran (from Queued/Completed) or as received (from Failed). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String request;

    @Column(name = "model_name", length = 200)
    public String modelName;

    @Column(name = "base_model", length = 2048)
    public String baseModel;

    @Column(name = "dataset_id", length = 200)
    public String datasetId;

    @Column(name = "dataset_version")
    public Integer datasetVersion;

    /** Highest optimizer step reported by a progress event; null before the first one. */
    public Long step;

    /** Steps planned, from the progress event with the highest step. */
    @Column(name = "total_steps")
    public Long totalSteps;

    /** Share of planned steps done, 0..1, from the progress event with the highest step. */
    public Double progress;

    /** Estimated seconds left, from the progress event with the highest step. */
    @Column(name = "eta_seconds")
    public Double etaSeconds;

    /** Time of the earliest event seen for this run. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Time of the latest event seen for this run. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
