package io.tuneforge.integration.trainer;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every record of {@code tuneforge.training.events} from the beginning, read by a thread of its own (no consumer
 * group), in topic order; the test waits on it.
 */
final class TrainingEventLog implements AutoCloseable {

    /** One event: run id, short type ({@code started}, …), broker timestamp, JSON value. */
    record Event(String runId, String type, long timestamp, String json) {

        <T> T as(Class<T> payload) {
            return Json.read(json, payload);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> events = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    TrainingEventLog(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRAINING_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "training-event-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    Header type = r.headers().lastHeader("ce_type");
                    String t = type == null ? "?" : new String(type.value(), StandardCharsets.UTF_8);
                    synchronized (events) {
                        events.add(new Event(r.key(), t.substring(t.lastIndexOf('.') + 1), r.timestamp(), r.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    List<Event> all() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<Event> of(String runId, String type) {
        return all().stream().filter(e -> e.runId().equals(runId) && (type == null || e.type().equals(type))).toList();
    }

    /** Waits for the first event that matches; fails listing what was seen. */
    Event await(String what, Predicate<Event> filter, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Event e : all()) {
                if (filter.test(e)) {
                    return e;
                }
            }
            sleep(100);
        }
        throw new AssertionError("No event " + what + " within " + timeout.toSeconds() + " s; saw "
                + all().stream().map(e -> e.runId() + ":" + e.type()).toList());
    }

    Event await(String runId, String type, Duration timeout) {
        return await(type + " of " + runId, e -> e.runId().equals(runId) && e.type().equals(type), timeout);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
