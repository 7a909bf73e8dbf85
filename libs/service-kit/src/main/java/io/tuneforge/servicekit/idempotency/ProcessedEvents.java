package io.tuneforge.servicekit.idempotency;

/**
 * The processed-event log a consumer checks first (the outbox pattern's idempotency guard): an event id that was
 * handled once is not handled again, so a redelivered event changes nothing.
 * <p>
 * Record an id only after the event's effects (object writes, emitted events) are done, so a crash in between
 * leads to a retry rather than a lost event. Where the effect itself is durable state (e.g. a run's
 * {@code state.json}), check that state as well: this log is the fast first guard, not the only one.
 */
public interface ProcessedEvents {

    /** True when {@code eventId} was recorded by {@link #record(String)}. */
    boolean contains(String eventId);

    /** Records {@code eventId} as handled; returns false when it already was. */
    boolean record(String eventId);
}
