package io.tuneforge.localstack;

import io.tuneforge.localstack.containers.ContainerKafka;
import io.tuneforge.localstack.containers.ContainerPostgres;
import io.tuneforge.localstack.containers.ContainerS3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Any subset of Kafka, S3 and PostgreSQL, started together and closed in reverse order.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().with(Component.KAFKA, Component.S3).start()) {
 *     stack.kafka().createTopics("tuneforge.training.commands");
 *     String s3 = stack.s3().endpoint();
 * }
 * }</pre>
 *
 * <p>The servers start in parallel. In mode {@link LocalStackMode#EMBEDDED} they are
 * {@link KafkaBroker}, {@link S3Server} and {@link PostgresServer}; in
 * {@link LocalStackMode#CONTAINERS} they are Testcontainers (ports and data directory are then
 * chosen by Docker). The default mode comes from {@value LocalStackMode#PROPERTY} (default auto).
 */
public final class LocalStack implements AutoCloseable {

    /** Images for mode containers: the same Kafka version as the embedded broker, PostgreSQL 14 like the embedded one. */
    public static final String KAFKA_IMAGE = "apache/kafka:" + BuildInfo.kafkaVersion();
    public static final String MINIO_IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";
    public static final String POSTGRES_IMAGE = "postgres:14-alpine";

    private final LocalStackMode mode;
    private final KafkaInstance kafka;
    private final S3Instance s3;
    private final PostgresInstance postgres;
    private final String jdbcUrl;

    private LocalStack(LocalStackMode mode, KafkaInstance kafka, S3Instance s3, PostgresInstance postgres, String jdbcUrl) {
        this.mode = mode;
        this.kafka = kafka;
        this.s3 = s3;
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link LocalStackMode#EMBEDDED} or {@link LocalStackMode#CONTAINERS}, never AUTO. */
    public LocalStackMode mode() {
        return mode;
    }

    public boolean has(Component component) {
        return switch (component) {
            case KAFKA -> kafka != null;
            case S3 -> s3 != null;
            case POSTGRES -> postgres != null;
        };
    }

    public KafkaInstance kafka() {
        return require(kafka, Component.KAFKA);
    }

    public S3Instance s3() {
        return require(s3, Component.S3);
    }

    public PostgresInstance postgres() {
        return require(postgres, Component.POSTGRES);
    }

    /** Addresses and credentials; the JDBC URL is that of the builder's database. */
    public LocalStackInfo info() {
        return new LocalStackInfo(
                kafka == null ? null : kafka.bootstrapServers(),
                s3 == null ? null : s3.endpoint(),
                s3 == null ? null : s3.accessKey(),
                s3 == null ? null : s3.secretKey(),
                s3 == null ? null : s3.region(),
                jdbcUrl,
                postgres == null ? null : postgres.username(),
                postgres == null ? null : postgres.password());
    }

    /** Closes PostgreSQL, then S3, then Kafka; every one is closed even if another fails. */
    @Override
    public void close() {
        closeAll(reverse(kafka, s3, postgres));
    }

    @Override
    public String toString() {
        return "LocalStack[" + mode + ", " + info() + "]";
    }

    private static List<AutoCloseable> reverse(AutoCloseable... started) {
        List<AutoCloseable> list = new ArrayList<>();
        for (int i = started.length - 1; i >= 0; i--) {
            if (started[i] != null) {
                list.add(started[i]);
            }
        }
        return list;
    }

    private static void closeAll(Collection<AutoCloseable> closeables) {
        RuntimeException failure = null;
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r
                        : new LocalStackException("Could not close " + closeable + ": " + e.getMessage(), e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static <T> T require(T instance, Component component) {
        if (instance == null) {
            throw new IllegalStateException(component.id() + " was not started; add it with LocalStack.builder().with(Component."
                    + component + ")");
        }
        return instance;
    }

    /** What to start and how; by default nothing is selected, mode from the system property. */
    public static final class Builder {
        private final Set<Component> components = EnumSet.noneOf(Component.class);
        private LocalStackMode mode;
        private Path dataDir;
        private int kafkaPort;
        private int s3Port;
        private int postgresPort;
        private int kafkaPartitions = 1;
        private final List<String> topics = new ArrayList<>();
        private String s3AccessKey;
        private String s3SecretKey;
        private String database = "tuneforge";

        private Builder() {
        }

        public Builder with(Component... selected) {
            components.addAll(List.of(selected));
            return this;
        }

        public Builder with(Collection<Component> selected) {
            components.addAll(selected);
            return this;
        }

        public Builder all() {
            return with(Component.values());
        }

        /** Default: {@link LocalStackMode#fromSystemProperty()}. */
        public Builder mode(LocalStackMode mode) {
            this.mode = mode;
            return this;
        }

        /** Keep data under {@code dir/kafka}, {@code dir/s3}, {@code dir/postgres} (embedded only); default: temporary. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Fixed ports for the embedded servers; 0 (the default) picks free ones. */
        public Builder ports(int kafka, int s3, int postgres) {
            this.kafkaPort = kafka;
            this.s3Port = s3;
            this.postgresPort = postgres;
            return this;
        }

        /** Default partition count of new topics (default 1). */
        public Builder kafkaPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("kafkaPartitions must be >= 1, got " + partitions);
            }
            this.kafkaPartitions = partitions;
            return this;
        }

        /** Topics to create once Kafka is up, with {@link #kafkaPartitions} partitions. */
        public Builder topics(String... names) {
            topics.addAll(List.of(names));
            return this;
        }

        /** Fixed S3 credentials instead of fresh random ones (MinIO wants a secret of 8+ characters). */
        public Builder s3Credentials(String accessKey, String secretKey) {
            if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("S3 access key and secret key must both be non-blank");
            }
            this.s3AccessKey = accessKey;
            this.s3SecretKey = secretKey;
            return this;
        }

        /** Database created on start; {@link LocalStackInfo#jdbcUrl()} points at it (default tuneforge). */
        public Builder database(String name) {
            this.database = PostgresDatabases.checkName(name);
            return this;
        }

        public LocalStack start() {
            LocalStackMode resolved = (mode != null ? mode : LocalStackMode.fromSystemProperty()).resolve();
            boolean containers = resolved == LocalStackMode.CONTAINERS;
            String accessKey = s3AccessKey != null ? s3AccessKey : Credentials.accessKey();
            String secretKey = s3SecretKey != null ? s3SecretKey : Credentials.secretKey();
            AtomicInteger threads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
                Thread thread = new Thread(r, "tuneforge-localstack-start-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            try {
                CompletableFuture<KafkaInstance> kafka = launch(pool, Component.KAFKA, () -> {
                    KafkaInstance broker = containers
                            ? ContainerKafka.start(KAFKA_IMAGE, kafkaPartitions)
                            : KafkaBroker.builder().port(kafkaPort).dataDir(sub("kafka"))
                                .defaultPartitions(kafkaPartitions).start();
                    if (!topics.isEmpty()) {
                        try {
                            broker.createTopics(kafkaPartitions, topics.toArray(String[]::new));
                        } catch (RuntimeException e) {
                            broker.close();
                            throw e;
                        }
                    }
                    return broker;
                });
                CompletableFuture<S3Instance> s3 = launch(pool, Component.S3, () -> containers
                        ? ContainerS3.start(MINIO_IMAGE, accessKey, secretKey)
                        : S3Server.builder().port(s3Port).dataDir(sub("s3")).credentials(accessKey, secretKey).start());
                CompletableFuture<PostgresInstance> postgres = launch(pool, Component.POSTGRES, () -> {
                    PostgresInstance server = containers
                            ? ContainerPostgres.start(POSTGRES_IMAGE)
                            : PostgresServer.builder().port(postgresPort).dataDir(sub("postgres")).start();
                    try {
                        server.createDatabase(database);
                    } catch (RuntimeException e) {
                        server.close();
                        throw e;
                    }
                    return server;
                });
                return collect(resolved, kafka, s3, postgres);
            } finally {
                pool.shutdownNow();
            }
        }

        private Path sub(String name) {
            return dataDir == null ? null : dataDir.resolve(name);
        }

        private <T> CompletableFuture<T> launch(ExecutorService pool, Component component, Supplier<T> starter) {
            return components.contains(component)
                    ? CompletableFuture.supplyAsync(starter, pool)
                    : CompletableFuture.completedFuture(null);
        }

        /** Waits for all three; if any failed, closes the others and throws the failures together. */
        private LocalStack collect(LocalStackMode resolved, CompletableFuture<KafkaInstance> kafka,
                                   CompletableFuture<S3Instance> s3, CompletableFuture<PostgresInstance> postgres) {
            List<RuntimeException> failures = new ArrayList<>();
            KafkaInstance k = join(kafka, failures);
            S3Instance s = join(s3, failures);
            PostgresInstance p = join(postgres, failures);
            if (!failures.isEmpty()) {
                try {
                    closeAll(reverse(k, s, p));
                } catch (RuntimeException e) {
                    failures.get(0).addSuppressed(e);
                }
                RuntimeException first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
            return new LocalStack(resolved, k, s, p, p == null ? null : p.jdbcUrl(database));
        }

        private static <T> T join(CompletableFuture<T> future, List<RuntimeException> failures) {
            try {
                return future.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failures.add(cause instanceof RuntimeException r ? r
                        : new LocalStackException(cause.getMessage(), cause));
                return null;
            }
        }
    }
}
