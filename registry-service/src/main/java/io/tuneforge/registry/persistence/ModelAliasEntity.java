package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An alias ({@code champion}, {@code challenger}, any name) pointing at one version of a model; unique per model. */
@Entity
@Table(name = "model_alias")
public class ModelAliasEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_name", nullable = false, length = 200)
    public String modelName;

    @Column(nullable = false, length = 100)
    public String alias;

    @Column(nullable = false)
    public int version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
