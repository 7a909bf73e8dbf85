package io.tuneforge.registry.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An API token ({@code api_token}); the token itself is never stored, only its SHA-256. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** What the token is for, e.g. "ci-pipeline". */
    @Column(nullable = false, length = 100)
    public String name;

    /** reader, writer or admin. */
    @Column(nullable = false, length = 16)
    public String role;

    /** Hex SHA-256 of the token. */
    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    /** The token's first characters, to tell tokens apart in lists; not enough to use it. */
    @Column(name = "token_hint", nullable = false, length = 16)
    public String tokenHint;

    /** Who created it (the caller's principal name). */
    @Column(name = "created_by", length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** Set when revoked; a revoked token authenticates no one. */
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
