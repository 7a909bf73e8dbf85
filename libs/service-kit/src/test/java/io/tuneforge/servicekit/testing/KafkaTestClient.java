package io.tuneforge.servicekit.testing;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.cloudevents.KafkaRecordParts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A test's view of a real broker, built by hand on {@link KafkaCompanion} (its stock test resource wants a
 * container): send records and CloudEvents, watch topics from their beginning and wait for the records that matter.
 * <p>
 * Shared by the services' tests through this module's test-jar
 * ({@code <artifactId>tuneforge-service-kit</artifactId><type>test-jar</type>}).
 */
public final class KafkaTestClient implements AutoCloseable {

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    private final KafkaCompanion companion;
    private final ConsumerTask<String, String> watched;

    /** Watches {@code topics} from their first offset, in a fresh consumer group. */
    public KafkaTestClient(String bootstrapServers, String... topics) {
        this.companion = new KafkaCompanion(bootstrapServers);
        this.watched = companion.consumeStrings()
                .withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(topics);
    }

    /** Sends a plain record; {@code headers} may be empty. */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((name, v) -> h.add(name, v.getBytes(StandardCharsets.UTF_8)));
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, null, key, value, h))
                .awaitCompletion(DEFAULT_WAIT);
    }

    /** Sends an event in CloudEvents binary mode, as the services do. */
    public void send(String topic, EventEnvelope<?> event) {
        KafkaRecordParts parts = CloudEventsKafka.encode(event);
        send(topic, parts.key(), parts.value(), parts.headers());
    }

    /** Every record of the watched topics seen so far that matches. */
    public List<ConsumerRecord<String, String>> records(Predicate<ConsumerRecord<String, String>> filter) {
        return watched.getRecords().stream().filter(filter).toList();
    }

    /** Records of {@code topic} with key {@code key} seen so far. */
    public List<ConsumerRecord<String, String>> records(String topic, String key) {
        return records(r -> r.topic().equals(topic) && key.equals(r.key()));
    }

    /** Waits until a matching record arrives and returns the first one; fails naming what it waited for. */
    public ConsumerRecord<String, String> awaitRecord(String what, Predicate<ConsumerRecord<String, String>> filter) {
        Instant deadline = Instant.now().plus(DEFAULT_WAIT);
        while (Instant.now().isBefore(deadline)) {
            List<ConsumerRecord<String, String>> found = records(filter);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            KafkaCompanion.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("No record " + what + " within " + DEFAULT_WAIT.toSeconds() + " s; saw "
                + watched.getRecords().stream().map(r -> r.topic() + "/" + r.key()).toList());
    }

    /** Waits for the first record of {@code topic} keyed {@code key}. */
    public ConsumerRecord<String, String> awaitRecord(String topic, String key) {
        return awaitRecord("on " + topic + " with key '" + key + "'", r -> r.topic().equals(topic) && key.equals(r.key()));
    }

    /** The UTF-8 value of the record's last header {@code name}, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            watched.close();
        } finally {
            companion.close();
        }
    }
}
