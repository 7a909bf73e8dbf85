package io.tuneforge.contracts;

import java.util.List;

/**
 * Kafka topic names (DESIGN.md §2). Commands and events have separate topics; every consumed topic has a
 * dead-letter topic named {@code <topic>.dlq}. The record key is always the aggregate id.
 */
public final class Topics {

    public static final String DATASET_COMMANDS = "tuneforge.dataset.commands";
    public static final String DATASET_EVENTS = "tuneforge.dataset.events";
    public static final String AUGMENTATION_COMMANDS = "tuneforge.augmentation.commands";
    public static final String AUGMENTATION_EVENTS = "tuneforge.augmentation.events";
    public static final String TRAINING_COMMANDS = "tuneforge.training.commands";
    public static final String TRAINING_EVENTS = "tuneforge.training.events";
    public static final String EVALUATION_COMMANDS = "tuneforge.evaluation.commands";
    public static final String EVALUATION_EVENTS = "tuneforge.evaluation.events";
    public static final String REGISTRY_EVENTS = "tuneforge.registry.events";

    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /** The dead-letter topic of a consumed topic. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** Every topic the platform produces to or consumes from, without dead-letter topics. */
    public static List<String> all() {
        return List.of(DATASET_COMMANDS, DATASET_EVENTS, AUGMENTATION_COMMANDS, AUGMENTATION_EVENTS,
                TRAINING_COMMANDS, TRAINING_EVENTS, EVALUATION_COMMANDS, EVALUATION_EVENTS, REGISTRY_EVENTS);
    }
}
