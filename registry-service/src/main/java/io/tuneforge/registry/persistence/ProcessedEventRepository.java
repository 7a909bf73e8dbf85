package io.tuneforge.registry.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The idempotency log. Both calls join the caller's transaction, so the check and the write commit with the event's effects. */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEventEntity, String> {

    public boolean isProcessed(String eventId) {
        return count("eventId", eventId) > 0;
    }

    public void markProcessed(String eventId, String type, Instant at) {
        persist(new ProcessedEventEntity(eventId, type, at));
    }
}
