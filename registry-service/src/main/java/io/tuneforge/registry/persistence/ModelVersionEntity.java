package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One version of a registered model ({@code model_version}): the artifact one run produced. */
@Entity
@Table(name = "model_version")
public class ModelVersionEntity {

    /** What the source URI holds. */
    public static final String KIND_ADAPTER = "adapter";
    public static final String KIND_MODEL = "model";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_name", nullable = false, length = 200)
    public String modelName;

    /** 1, 2, ... per model, in registration order. */
    @Column(nullable = false)
    public int version;

    /**
     * {@code s3://bucket/runs/{runId}/adapter/} for an adapter, the model directory for a full fine-tune. When the
     * TrainingCompleted named neither, the run's conventional adapter prefix in the registry's bucket.
     */
    @Column(name = "source_uri", nullable = false, length = 2048)
    public String sourceUri;

    /** {@link #KIND_ADAPTER} or {@link #KIND_MODEL}. */
    @Column(name = "source_kind", nullable = false, length = 16)
    public String sourceKind;

    @Column(name = "base_model", length = 2048)
    public String baseModel;

    @Column(name = "run_id", length = 200)
    public String runId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public ModelVersionStatus status;

    /** Why registration failed, or what it is waiting for. */
    @Column(name = "status_message", columnDefinition = "text")
    public String statusMessage;

    /** JSON object of final training metrics (trainLoss, evalLoss, ...). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String metrics;

    /** The TrainingCompleted event that registered it. */
    @Column(name = "event_id", nullable = false, length = 200)
    public String eventId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
