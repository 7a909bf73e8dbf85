package io.tuneforge.trainer;

import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A run's events on {@code tuneforge.training.events}, seen by a {@link KafkaTestClient}, waited for by type. */
public final class RunEvents {

    /** Training the tiny model takes seconds; the first run of a JVM also unpacks or loads PyTorch. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    private final KafkaTestClient kafka;
    private final String runId;

    public RunEvents(KafkaTestClient kafka, String runId) {
        this.kafka = kafka;
        this.runId = runId;
    }

    /** {@code io.tuneforge.training.completed} → {@code completed}. */
    public static String type(ConsumerRecord<String, String> record) {
        String type = KafkaTestClient.header(record, CloudEventsKafka.H_TYPE);
        return type == null ? null : type.substring(type.lastIndexOf('.') + 1);
    }

    /** Every event of the run so far, in topic order. */
    public List<ConsumerRecord<String, String>> all() {
        return kafka.records(Topics.TRAINING_EVENTS, runId);
    }

    /** The short types of {@link #all()}, e.g. {@code [queued, started, progress, checkpointed, completed]}. */
    public List<String> types() {
        return all().stream().map(RunEvents::type).toList();
    }

    /** Every event of {@code type} so far, payloads bound. */
    public <T> List<T> of(String type, Class<T> payload) {
        return all().stream().filter(r -> type.equals(type(r)))
                .map(r -> TrainerTestSupport.payload(r, payload)).toList();
    }

    /** Waits for the first event of {@code type}; fails with what the run did say. */
    public <T> T await(String type, Class<T> payload) {
        return await(type, payload, WAIT);
    }

    public <T> T await(String type, Class<T> payload, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<T> found = of(type, payload);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            sleep(100);
        }
        throw new AssertionError("Run " + runId + " sent no '" + type + "' event within " + timeout.toSeconds()
                + " s; it sent " + types() + (types().contains("failed") ? ": " + all().stream()
                .filter(r -> "failed".equals(type(r))).findFirst().map(ConsumerRecord::value).orElse("") : ""));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
