package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One MLflow-style key/value tag ({@code tag}) on a model, a model version or a run. */
@Entity
@Table(name = "tag")
public class TagEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** {@link TagTarget#column()}: model, version or run. */
    @Column(name = "target_type", nullable = false, length = 16)
    public String targetType;

    /** Model name, {@code {model}/{version}} or run id. */
    @Column(name = "target_key", nullable = false, length = 300)
    public String targetKey;

    @Column(name = "tag_key", nullable = false, length = 250)
    public String key;

    @Column(name = "tag_value", nullable = false, columnDefinition = "text")
    public String value;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
