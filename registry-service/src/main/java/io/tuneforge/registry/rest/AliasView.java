package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.ModelAliasEntity;

import java.time.Instant;

/** An alias of a model and the version it points at. */
public record AliasView(String modelName, String alias, int version, Instant updatedAt) {

    public static AliasView from(ModelAliasEntity a) {
        return new AliasView(a.modelName, a.alias, a.version, a.updatedAt);
    }
}
