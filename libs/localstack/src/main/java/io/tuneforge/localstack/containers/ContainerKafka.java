package io.tuneforge.localstack.containers;

import io.tuneforge.localstack.KafkaInstance;
import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka (KRaft, image {@code apache/kafka}) in a container. Untested here: no Docker. */
public final class ContainerKafka implements KafkaInstance {

    private final KafkaContainer container;
    private final int defaultPartitions;

    private ContainerKafka(KafkaContainer container, int defaultPartitions) {
        this.container = container;
        this.defaultPartitions = defaultPartitions;
    }

    /** @param image e.g. {@code apache/kafka:4.1.2} */
    public static ContainerKafka start(String image, int defaultPartitions) {
        KafkaContainer container = new KafkaContainer(image)
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(defaultPartitions))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerKafka(container, defaultPartitions);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public int defaultPartitions() {
        return defaultPartitions;
    }

    @Override
    public void close() {
        container.stop();
    }
}
