package io.tuneforge.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation through the Admin API, so it works against any broker (embedded or container). */
public final class KafkaTopics {

    private static final long TIMEOUT_SECONDS = 30;

    private KafkaTopics() {
    }

    /**
     * Creates each topic with {@code partitions} partitions and replication factor 1; a topic that
     * already exists is left as it is (its partition count is not changed).
     */
    public static void create(String bootstrapServers, int partitions, List<String> names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic names must be non-blank, got " + names);
            }
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)));
        }
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "tuneforge-localstack-admin"))) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                await(bootstrapServers, result.getKey(), result.getValue());
            }
        }
    }

    private static void await(String bootstrapServers, String topic, KafkaFuture<Void> future) {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new LocalStackException("Could not create topic '" + topic + "' on "
                        + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new LocalStackException("Creating topic '" + topic + "' on " + bootstrapServers
                    + " took longer than " + TIMEOUT_SECONDS + " s; is the broker running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while creating topic '" + topic + "'", e);
        }
    }
}
