package io.tuneforge.registry.service;

/** What {@link EventProcessor#process} did with one event. */
public enum EventOutcome {
    /** The event changed the registry. */
    APPLIED,
    /** The event id was processed before; nothing changed. */
    DUPLICATE,
    /** Recorded as processed, but the registry keeps nothing of this type (or of this repeat of a dataset version). */
    IGNORED
}
