package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** API tokens, looked up by the hash of the presented token. */
@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiTokenEntity, Long> {

    /** The token with this hash, unless it was revoked. */
    public Optional<ApiTokenEntity> activeByHash(String tokenHash) {
        return find("tokenHash = ?1 and revokedAt is null", tokenHash).firstResultOptional();
    }

    /** Every token, newest first (revoked ones too: they show when they were revoked). */
    public List<ApiTokenEntity> all() {
        return listAll(Sort.descending("createdAt").and("id", Sort.Direction.Descending));
    }
}
