package io.tuneforge.registry.rest;

/** Body of {@code PUT /api/models/{name}/aliases/{alias}}: the version the alias should point at. */
public record AliasRequest(Integer version) {
}
