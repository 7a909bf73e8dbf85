package io.tuneforge.registry.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.persistence.ApiTokenEntity;
import io.tuneforge.registry.persistence.ApiTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: {@code tfr_} + 32 random bytes (base64url). Only the SHA-256 of a token is stored (a fast hash is right
 * for 256-bit random secrets); it is shown once, when created. The bootstrap admin token comes from
 * {@code tuneforge.registry.auth.admin-token} and is compared in constant time; neither is ever logged.
 */
@ApplicationScoped
public class ApiTokens {

    public static final String PREFIX = "tfr_";
    /** Principal name of the bootstrap admin token. */
    public static final String BOOTSTRAP_NAME = "admin-token";

    private static final Logger LOG = Logger.getLogger(ApiTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final int MIN_ADMIN_TOKEN_LENGTH = 16;

    private final ApiTokenRepository tokens;
    private final RegistryConfig config;

    public ApiTokens(ApiTokenRepository tokens, RegistryConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** Refuses a bootstrap token that is too short or looks like a JWT, and an unknown anonymous role. */
    void checkSettings(@Observes StartupEvent event) {
        config.auth().adminToken().ifPresent(t -> {
            if (t.length() < MIN_ADMIN_TOKEN_LENGTH || t.contains(".") || t.isBlank()) {
                throw new IllegalStateException("tuneforge.registry.auth.admin-token must be at least "
                        + MIN_ADMIN_TOKEN_LENGTH + " characters without '.', got one of " + t.length()
                        + " characters" + (t.contains(".") ? " containing '.'" : "")
                        + "; generate one with: openssl rand -hex 32");
            }
        });
        String anonymous = config.auth().anonymousRole();
        if (!anonymous.equals("none") && !anonymous.equals(Roles.READER)) {
            throw new IllegalStateException("tuneforge.registry.auth.anonymous-role must be 'reader' or 'none', got '"
                    + anonymous + "'");
        }
        LOG.infof("Access: API tokens%s; callers without credentials are %s", config.auth().adminToken().isPresent()
                ? " and the bootstrap admin token" : "", anonymous.equals("none") ? "refused" : "readers");
    }

    /**
     * Creates a token.
     *
     * @throws IllegalArgumentException for a blank or too long name or an unknown role
     */
    @Transactional
    public CreatedToken create(String name, String role, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("Token name must be 1-100 characters, got "
                    + (name == null ? "none" : "'" + name + "'"));
        }
        String checkedRole = Roles.parse(role);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiTokenEntity e = new ApiTokenEntity();
        e.name = name.trim();
        e.role = checkedRole;
        e.tokenHash = sha256(token);
        e.tokenHint = token.substring(0, PREFIX.length() + 4);
        e.createdBy = createdBy;
        e.createdAt = Instant.now();
        tokens.persist(e);
        LOG.infof("API token %d '%s' (%s) created by %s", e.id, e.name, e.role, createdBy);
        return new CreatedToken(e.id, e.name, e.role, token, e.createdAt);
    }

    /** Who the token belongs to; empty for an unknown or revoked token. Runs blocking (database). */
    public Optional<TokenOwner> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Optional<String> admin = config.auth().adminToken();
        if (admin.isPresent() && MessageDigest.isEqual(admin.get().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new TokenOwner(BOOTSTRAP_NAME, Roles.ADMIN));
        }
        String hash = sha256(token);
        return QuarkusTransaction.requiringNew().call(() -> tokens.activeByHash(hash).map(e -> {
            Instant now = Instant.now();
            if (e.lastUsedAt == null || e.lastUsedAt.isBefore(now.minus(LAST_USED_RESOLUTION))) {
                e.lastUsedAt = now;
            }
            return new TokenOwner("token:" + e.name, e.role);
        }));
    }

    @Transactional
    public List<ApiTokenEntity> list() {
        return tokens.all();
    }

    /** @return false when there is no such token */
    @Transactional
    public boolean revoke(long id, String revokedBy) {
        ApiTokenEntity e = tokens.findById(id);
        if (e == null) {
            return false;
        }
        if (e.revokedAt == null) {
            e.revokedAt = Instant.now();
            LOG.infof("API token %d '%s' revoked by %s", e.id, e.name, revokedBy);
        }
        return true;
    }

    /** Hex SHA-256 of the token's UTF-8 bytes. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
