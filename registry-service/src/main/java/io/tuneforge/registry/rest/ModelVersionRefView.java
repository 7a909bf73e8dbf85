package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionStatus;

/** A pointer to a model version, as runs and evaluations show the version they led to. */
public record ModelVersionRefView(String modelName, int version, ModelVersionStatus status) {

    public static ModelVersionRefView from(ModelVersionEntity v) {
        return v == null ? null : new ModelVersionRefView(v.modelName, v.version, v.status);
    }
}
