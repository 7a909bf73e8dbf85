package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The outbox of events the registry emits. */
@ApplicationScoped
public class OutboxEventRepository implements PanacheRepositoryBase<OutboxEventEntity, Long> {

    /**
     * The oldest unsent events, locked for this transaction; rows another replica is sending right now are skipped
     * ({@code FOR UPDATE SKIP LOCKED}), so two relays do not send the same row at once.
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEventEntity> lockUnsent(int limit) {
        return getEntityManager()
                .createNativeQuery("select * from outbox_event where sent_at is null order by id limit :limit"
                        + " for update skip locked", OutboxEventEntity.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    public long countUnsent() {
        return count("sentAt is null");
    }
}
