package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A named model that versions are filed under ({@code registered_model}); named by TrainingRequest.modelName. */
@Entity
@Table(name = "registered_model")
public class RegisteredModelEntity {

    @Id
    @Column(length = 200)
    public String name;

    @Column(columnDefinition = "text")
    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When its latest version was registered or its description changed. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
