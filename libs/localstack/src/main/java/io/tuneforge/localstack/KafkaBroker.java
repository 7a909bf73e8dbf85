package io.tuneforge.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Apache Kafka in this JVM: one KRaft node that is broker and controller, on loopback ports.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().defaultPartitions(3).start()) {
 *     kafka.createTopics("tuneforge.training.events");
 *     String servers = kafka.bootstrapServers();   // 127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>The data directory is a temporary one, deleted on close, unless {@link Builder#dataDir} names
 * one: that directory is formatted on first use and kept, so a later broker restarts on its data.
 * Settings are the single-node ones: replication factor 1 everywhere, min ISR 1, no initial
 * rebalance delay, topics created on first use. Starts in 3–5 s; about 300 MiB of memory.
 */
public final class KafkaBroker implements KafkaInstance {

    private static final String META_PROPERTIES = "meta.properties";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int defaultPartitions;
    private final CloseOnExit closer;

    private KafkaBroker(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose, int defaultPartitions) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.defaultPartitions = defaultPartitions;
        this.closer = new CloseOnExit("tuneforge-kafka-shutdown", this::stop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A broker on free ports with a temporary data directory. */
    public static KafkaBroker start() {
        return builder().start();
    }

    @Override
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** Shuts the broker down, waits for it, and deletes the data directory if it was temporary. */
    @Override
    public void close() {
        closer.close();
    }

    private void stop() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteOnClose) {
                FileUtils.deleteQuietly(dataDir.toFile());
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", dataDir=" + dataDir + "]";
    }

    /** Settings for {@link KafkaBroker}; every one has a working default. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private int defaultPartitions = 1;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Keep data here (formatted on first use, reused after); default: a temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Partitions of topics made by {@link KafkaBroker#createTopics(String...)} and by auto-creation. */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be >= 1, got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Any broker setting, applied after the defaults (e.g. {@code log.retention.ms}). */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public KafkaBroker start() {
            QuietLogs.quiet("kafka", "state.change.logger", "org.apache.kafka");
            int brokerPort = Ports.resolve(port, "Kafka");
            int raftPort = Ports.resolve(controllerPort, "Kafka controller");
            boolean temporary = dataDir == null;
            Path dir = prepareDataDir(temporary);
            KafkaRaftServer server = null;
            try {
                KafkaConfig config = KafkaConfig.fromProps(properties(brokerPort, raftPort, dir));
                if (!Files.exists(dir.resolve(META_PROPERTIES))) {
                    format(dir);
                }
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                awaitReady(brokerPort);
                return new KafkaBroker(server, brokerPort, dir, temporary, defaultPartitions);
            } catch (Exception | LinkageError e) {
                if (server != null) {
                    shutdownQuietly(server);
                }
                if (temporary) {
                    FileUtils.deleteQuietly(dir.toFile());
                }
                throw new LocalStackException("Kafka broker did not start on " + Ports.HOST + ":" + brokerPort
                        + " (controller " + raftPort + ", data " + dir + "): " + e.getMessage(), e);
            }
        }

        private Path prepareDataDir(boolean temporary) {
            try {
                return temporary
                        ? Files.createTempDirectory("tuneforge-kafka-")
                        : Files.createDirectories(dataDir.toAbsolutePath());
            } catch (IOException e) {
                throw new LocalStackException("Cannot create Kafka data directory "
                        + (temporary ? "in " + System.getProperty("java.io.tmpdir") : dataDir) + ": " + e, e);
            }
        }

        private Properties properties(int brokerPort, int raftPort, Path dir) {
            Properties p = new Properties();
            // 1) one node, both roles, static quorum of itself
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(NODE_ID));
            p.put("controller.quorum.voters", NODE_ID + "@" + Ports.HOST + ":" + raftPort);
            p.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + brokerPort + ",CONTROLLER://" + Ports.HOST + ":" + raftPort);
            p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + brokerPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.toString());
            // 2) single-node replication
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("default.replication.factor", "1");
            p.put("min.insync.replicas", "1");
            // 3) fast for tests: no rebalance delay, topics on first use, few internal partitions
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "true");
            p.put("num.partitions", String.valueOf(defaultPartitions));
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.num.partitions", "5");
            // 4) small: few threads, a 8 MiB (not 128 MiB) log-cleaner buffer
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "2");
            p.put("background.threads", "2");
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
            p.putAll(overrides);
            return p;
        }

        private static void format(Path dir) throws Exception {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .run();
        }

        /** The broker answers a metadata request: it is unfenced and accepts clients. */
        private void awaitReady(int brokerPort) throws Exception {
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Ports.HOST + ":" + brokerPort,
                    AdminClientConfig.CLIENT_ID_CONFIG, "tuneforge-localstack-ready"))) {
                admin.describeCluster().nodes().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private static void shutdownQuietly(KafkaRaftServer server) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException ignored) {
                // the start failure is the error worth reporting
            }
        }
    }
}
