package io.tuneforge.registry;

/**
 * The init args every test class passes to its GLOBAL {@link RegistryTestStack}: they must be identical on every
 * class, or Quarkus starts a second stack and a second application.
 */
public final class RegistryStack {

    /** Topics the registry reads, dead-letters to and writes, created before the application starts. */
    public static final String TOPICS = "tuneforge.training.events,tuneforge.dataset.events,"
            + "tuneforge.evaluation.events,tuneforge.augmentation.events,"
            + "tuneforge.training.events.dlq,tuneforge.dataset.events.dlq,"
            + "tuneforge.evaluation.events.dlq,tuneforge.augmentation.events.dlq,"
            + "tuneforge.training.commands,tuneforge.registry.events";

    private RegistryStack() {
    }
}
