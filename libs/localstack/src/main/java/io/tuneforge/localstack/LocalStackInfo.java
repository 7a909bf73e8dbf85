package io.tuneforge.localstack;

/**
 * Where the servers of a running {@link LocalStack} answer: plain strings, so the record can be
 * rebuilt from system properties in another class loader (see
 * {@link io.tuneforge.localstack.quarkus.LocalStackResource#current()}).
 *
 * <p>Components that were not started are {@code null}; their accessors throw an
 * {@link IllegalStateException} saying how to start them. {@link #toString()} hides the secret.
 */
public record LocalStackInfo(
        String kafkaBootstrapServers,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region,
        String jdbcUrl,
        String jdbcUsername,
        String jdbcPassword) {

    public boolean hasKafka() {
        return kafkaBootstrapServers != null;
    }

    public boolean hasS3() {
        return s3Endpoint != null;
    }

    public boolean hasPostgres() {
        return jdbcUrl != null;
    }

    @Override
    public String kafkaBootstrapServers() {
        return require(kafkaBootstrapServers, Component.KAFKA);
    }

    @Override
    public String s3Endpoint() {
        return require(s3Endpoint, Component.S3);
    }

    @Override
    public String s3AccessKey() {
        return require(s3AccessKey, Component.S3);
    }

    @Override
    public String s3SecretKey() {
        return require(s3SecretKey, Component.S3);
    }

    @Override
    public String s3Region() {
        return require(s3Region, Component.S3);
    }

    @Override
    public String jdbcUrl() {
        return require(jdbcUrl, Component.POSTGRES);
    }

    @Override
    public String jdbcUsername() {
        return require(jdbcUsername, Component.POSTGRES);
    }

    @Override
    public String jdbcPassword() {
        return require(jdbcPassword, Component.POSTGRES);
    }

    /** Creates topics on the running broker (replication factor 1; existing topics are kept). */
    public void createTopics(int partitions, String... names) {
        KafkaTopics.create(kafkaBootstrapServers(), partitions, java.util.List.of(names));
    }

    @Override
    public String toString() {
        return "LocalStackInfo[kafka=" + kafkaBootstrapServers + ", s3=" + s3Endpoint
                + " (accessKey=" + s3AccessKey + ", secretKey=" + (s3SecretKey == null ? null : "***")
                + ", region=" + s3Region + "), postgres=" + jdbcUrl + " (user=" + jdbcUsername + ")]";
    }

    private static String require(String value, Component component) {
        if (value == null) {
            throw new IllegalStateException(component.id() + " is not running in this local stack; start it with "
                    + "LocalStack.builder().with(Component." + component + ") or init arg "
                    + component.id() + "=true on LocalStackResource");
        }
        return value;
    }
}
