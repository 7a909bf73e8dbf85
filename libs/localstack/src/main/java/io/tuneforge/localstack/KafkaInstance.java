package io.tuneforge.localstack;

import java.util.List;

/** A running Kafka broker: embedded ({@link KafkaBroker}) or a container. */
public interface KafkaInstance extends AutoCloseable {

    /** {@code host:port} for {@code bootstrap.servers}, e.g. {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /** Partitions given to topics created by {@link #createTopics(String...)}. */
    int defaultPartitions();

    /** Creates the topics with {@link #defaultPartitions()} partitions; existing topics are left alone. */
    default void createTopics(String... names) {
        createTopics(defaultPartitions(), names);
    }

    /** Creates the topics with the given partition count; existing topics are left alone. */
    default void createTopics(int partitions, String... names) {
        KafkaTopics.create(bootstrapServers(), partitions, List.of(names));
    }

    /** Stops the broker and frees what it owned. */
    @Override
    void close();
}
