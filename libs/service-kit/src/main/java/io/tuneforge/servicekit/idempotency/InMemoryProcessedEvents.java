package io.tuneforge.servicekit.idempotency;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link ProcessedEvents}: the most recent {@value #DEFAULT_CAPACITY} event ids of this process, oldest
 * forgotten first. It catches redeliveries after a rebalance or a retry; across restarts a service relies on its
 * durable state in the object store. A service replaces it by producing its own {@link ProcessedEvents} bean.
 */
@DefaultBean
@ApplicationScoped
public class InMemoryProcessedEvents implements ProcessedEvents {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final Map<String, Boolean> ids;

    public InMemoryProcessedEvents() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryProcessedEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
        }
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized boolean contains(String eventId) {
        return ids.containsKey(Objects.requireNonNull(eventId, "eventId"));
    }

    @Override
    public synchronized boolean record(String eventId) {
        return ids.put(Objects.requireNonNull(eventId, "eventId"), Boolean.TRUE) == null;
    }
}
