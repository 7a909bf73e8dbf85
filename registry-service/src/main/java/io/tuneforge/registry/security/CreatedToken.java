package io.tuneforge.registry.security;

import java.time.Instant;

/**
 * A token just created. The only time the token itself is shown: the registry keeps its hash.
 *
 * @param id    to revoke it with {@code DELETE /api/tokens/{id}}
 * @param token the secret; send it as {@code Authorization: Bearer <token>}
 */
public record CreatedToken(long id, String name, String role, String token, Instant createdAt) {
}
