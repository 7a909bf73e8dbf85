package io.tuneforge.localstack.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tuneforge.localstack.Component;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.LocalStackInfo;
import io.tuneforge.localstack.LocalStackMode;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Quarkus test resource that starts Kafka, S3 and PostgreSQL (any subset) before the application
 * and hands their addresses to it as configuration.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
 *         initArgs = {@ResourceArg(name = "postgres", value = "false"),
 *                     @ResourceArg(name = "topics", value = "tuneforge.training.commands")})
 * class TrainingFlowTest { ... LocalStackResource.current().kafkaBootstrapServers() ... }
 * }</pre>
 *
 * <p>Use scope GLOBAL with the same init args on every test class of a module: then one stack and
 * one Quarkus boot serve them all (mixing scopes or args starts several stacks).
 *
 * <p>Init args (all optional): {@code kafka}, {@code s3}, {@code postgres} = true|false (default
 * true); {@code topics} = comma-separated topics to create; {@code partitions} (default 1);
 * {@code bucket} (default tuneforge; the application creates it, e.g. with
 * ArtifactStore.ensureBucket()); {@code database} (default tuneforge, created);
 * {@code mode} = embedded|containers|auto (default: system property
 * {@value LocalStackMode#PROPERTY}, else auto).
 *
 * <p>Configuration handed to the application:
 * <ul>
 * <li>Kafka: {@value #KAFKA_BOOTSTRAP}, {@value #SMALLRYE_KAFKA_BOOTSTRAP}</li>
 * <li>S3: {@code tuneforge.storage.endpoint}, {@code .access-key}, {@code .secret-key},
 *     {@code .bucket}, {@code .region}</li>
 * <li>PostgreSQL: {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username},
 *     {@code quarkus.datasource.password}</li>
 * </ul>
 * The application should also set {@code quarkus.devservices.enabled=false}: Dev Services would
 * otherwise look for Docker.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String SMALLRYE_KAFKA_BOOTSTRAP = "mp.messaging.connector.smallrye-kafka.bootstrap.servers";
    public static final String STORAGE_ENDPOINT = "tuneforge.storage.endpoint";
    public static final String STORAGE_ACCESS_KEY = "tuneforge.storage.access-key";
    public static final String STORAGE_SECRET_KEY = "tuneforge.storage.secret-key";
    public static final String STORAGE_BUCKET = "tuneforge.storage.bucket";
    public static final String STORAGE_REGION = "tuneforge.storage.region";
    public static final String DATASOURCE_URL = "quarkus.datasource.jdbc.url";
    public static final String DATASOURCE_USERNAME = "quarkus.datasource.username";
    public static final String DATASOURCE_PASSWORD = "quarkus.datasource.password";

    public static final String DEFAULT_BUCKET = "tuneforge";
    public static final String DEFAULT_DATABASE = "tuneforge";

    private static final List<String> COMMON_ARGS = List.of("topics", "partitions", "bucket", "database", "mode");

    private final Set<Component> fixedComponents;
    private Set<Component> components = EnumSet.allOf(Component.class);
    private String[] topics = new String[0];
    private int partitions = 1;
    private String bucket = DEFAULT_BUCKET;
    private String database = DEFAULT_DATABASE;
    private LocalStackMode mode;
    private LocalStack stack;

    public LocalStackResource() {
        this.fixedComponents = null;
    }

    /** For the single-server resources: these components, not selectable by init args. */
    protected LocalStackResource(Set<Component> fixedComponents) {
        this.fixedComponents = EnumSet.copyOf(fixedComponents);
        this.components = EnumSet.copyOf(fixedComponents);
    }

    /**
     * What the running resources publish, readable from any class loader of this JVM (test classes
     * may be loaded apart from the resource). Throws if none is running.
     */
    public static LocalStackInfo current() {
        return currentIfRunning().orElseThrow(() -> new IllegalStateException(
                "No LocalStackResource is running in this JVM; annotate the test class with "
                        + "@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)"));
    }

    public static Optional<LocalStackInfo> currentIfRunning() {
        return PublishedInfo.read();
    }

    @Override
    public void init(Map<String, String> initArgs) {
        for (Map.Entry<String, String> arg : initArgs.entrySet()) {
            String key = arg.getKey();
            String value = arg.getValue() == null ? "" : arg.getValue().trim();
            switch (key) {
                case "kafka", "s3", "postgres" -> select(Component.fromId(key), parseBoolean(key, value));
                case "topics" -> topics = value.isEmpty() ? new String[0] : value.split("\\s*,\\s*");
                case "partitions" -> partitions = parsePartitions(value);
                case "bucket" -> bucket = value;
                case "database" -> database = value;
                case "mode" -> mode = LocalStackMode.parse(value);
                default -> throw new IllegalArgumentException("Unknown init arg '" + key + "' for " + getClass().getSimpleName()
                        + "; expected " + (fixedComponents == null ? "kafka, s3, postgres, " : "") + String.join(", ", COMMON_ARGS));
            }
        }
    }

    @Override
    public Map<String, String> start() {
        LocalStack.Builder builder = LocalStack.builder().with(components).kafkaPartitions(partitions)
                .topics(topics).database(database);
        if (mode != null) {
            builder.mode(mode);
        }
        stack = builder.start();
        LocalStackInfo info = stack.info();
        PublishedInfo.publish(info, components);
        return config(info, bucket);
    }

    @Override
    public void stop() {
        PublishedInfo.clear(components);
        if (stack != null) {
            try {
                stack.close();
            } finally {
                stack = null;
            }
        }
    }

    /** The running stack of this resource instance (null before start and after stop). */
    public LocalStack stack() {
        return stack;
    }

    /** The configuration for a Quarkus application that uses these servers (only started ones appear). */
    public static Map<String, String> config(LocalStackInfo info, String bucket) {
        Map<String, String> config = new LinkedHashMap<>();
        if (info.hasKafka()) {
            config.put(KAFKA_BOOTSTRAP, info.kafkaBootstrapServers());
            config.put(SMALLRYE_KAFKA_BOOTSTRAP, info.kafkaBootstrapServers());
        }
        if (info.hasS3()) {
            config.put(STORAGE_ENDPOINT, info.s3Endpoint());
            config.put(STORAGE_ACCESS_KEY, info.s3AccessKey());
            config.put(STORAGE_SECRET_KEY, info.s3SecretKey());
            config.put(STORAGE_BUCKET, bucket);
            config.put(STORAGE_REGION, info.s3Region());
        }
        if (info.hasPostgres()) {
            config.put(DATASOURCE_URL, info.jdbcUrl());
            config.put(DATASOURCE_USERNAME, info.jdbcUsername());
            config.put(DATASOURCE_PASSWORD, info.jdbcPassword());
        }
        return config;
    }

    private void select(Component component, boolean on) {
        if (fixedComponents != null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " always runs " + fixedComponents
                    + "; use LocalStackResource to choose components with init arg '" + component.id() + "'");
        }
        if (on) {
            components.add(component);
        } else {
            components.remove(component);
        }
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("Init arg '" + key + "' must be true or false, got '" + value + "'");
    }

    private static int parsePartitions(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("Init arg 'partitions' must be a whole number >= 1, got '" + value + "'");
    }
}
