package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.ApiTokenEntity;

import java.time.Instant;

/**
 * An API token as lists show it: never the token or its hash.
 *
 * @param hint the token's first characters, to tell tokens apart
 */
public record TokenView(long id, String name, String role, String hint, String createdBy, Instant createdAt,
                        Instant lastUsedAt, Instant revokedAt) {

    public static TokenView from(ApiTokenEntity e) {
        return new TokenView(e.id, e.name, e.role, e.tokenHint + "…", e.createdBy, e.createdAt, e.lastUsedAt,
                e.revokedAt);
    }
}
