package io.tuneforge.registry;

/**
 * The init args every test class passes to its GLOBAL {@code LocalStackResource}: they must be identical on every
 * class, or Quarkus starts a second stack and a second application.
 */
public final class RegistryStack {

    /** Topics the registry reads and dead-letters to, created before the application starts. */
    public static final String TOPICS = "tuneforge.training.events,tuneforge.dataset.events,"
            + "tuneforge.training.events.dlq,tuneforge.dataset.events.dlq";

    private RegistryStack() {
    }
}
