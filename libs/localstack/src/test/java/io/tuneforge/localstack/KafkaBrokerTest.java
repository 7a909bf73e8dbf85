package io.tuneforge.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    private static final String TOPIC = "tuneforge.test.events";

    @Test
    void roundTripThenRestartOnTheSameDataKeepsTheRecords(@TempDir Path dir) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("event-" + i);
        }

        try (KafkaBroker broker = KafkaBroker.builder().dataDir(dir).defaultPartitions(2).start()) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            broker.createTopics(TOPIC);
            broker.createTopics(TOPIC); // existing topic: no error
            assertEquals(2, partitions(broker.bootstrapServers(), TOPIC));
            produce(broker.bootstrapServers(), sent);
            assertEquals(sent, consumeAll(broker.bootstrapServers(), sent.size()));
        }
        assertTrue(Files.exists(dir.resolve("meta.properties")), "a given data dir is kept after close");

        try (KafkaBroker restarted = KafkaBroker.builder().dataDir(dir).start()) {
            assertEquals(sent, consumeAll(restarted.bootstrapServers(), sent.size()));
            assertEquals(2, partitions(restarted.bootstrapServers(), TOPIC));
        }
    }

    @Test
    void aFixedPortInUseIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            int port = taken.getLocalPort();
            LocalStackException e = assertThrows(LocalStackException.class,
                    () -> KafkaBroker.builder().port(port).start());
            assertTrue(e.getMessage().contains("Kafka port " + port) && e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void partitionCountsBelowOneAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaBroker.builder().defaultPartitions(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    /** Sends with the index as key (records of one key stay in order) and waits for every ack. */
    private static void produce(String servers, List<String> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, "run-1", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeAll(String servers, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
            }
        }
        return received;
    }

    private static int partitions(String servers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        }
    }
}
