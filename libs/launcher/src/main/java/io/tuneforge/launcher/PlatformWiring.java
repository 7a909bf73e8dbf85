package io.tuneforge.launcher;

/**
 * The settings every packaged TuneForge service gets to join a platform — Kafka, the object store, plain-text logs,
 * DJL offline — and the ones only registry-service gets (its database and bootstrap admin token). One place for the
 * integration tests' {@code Platform} and the CLI's {@code tuneforge up}. Secrets go through
 * {@link ServiceProcess.Builder#secretConfig}, so they reach the child in its environment only.
 *
 * @param kafkaBootstrap  {@code 127.0.0.1:9092}
 * @param s3Endpoint      {@code http://127.0.0.1:9000}
 * @param s3AccessKey     secret
 * @param s3SecretKey     secret
 * @param jdbcUrl         PostgreSQL of registry-service
 * @param jdbcPassword    secret
 * @param registryToken   registry-service's bootstrap admin token (secret)
 */
public record PlatformWiring(String kafkaBootstrap, String s3Endpoint, String s3Region, String s3Bucket,
                             String s3AccessKey, String s3SecretKey, String jdbcUrl, String jdbcUsername,
                             String jdbcPassword, String registryToken) {

    /** The service that keeps its state in PostgreSQL; only it gets the datasource settings. */
    public static final String REGISTRY = "registry-service";

    /** Adds what {@code service} needs to join the platform to {@code builder}; returns the builder. */
    public ServiceProcess.Builder applyTo(String service, ServiceProcess.Builder builder) {
        builder.config("kafka.bootstrap.servers", kafkaBootstrap)
                .config("tuneforge.storage.endpoint", s3Endpoint)
                .config("tuneforge.storage.region", s3Region)
                .config("tuneforge.storage.bucket", s3Bucket)
                .secretConfig("tuneforge.storage.access-key", s3AccessKey)
                .secretConfig("tuneforge.storage.secret-key", s3SecretKey)
                .config("quarkus.log.console.json.enabled", "false")
                .config("ai.djl.offline", "true");
        if (REGISTRY.equals(service)) {
            builder.config("quarkus.datasource.jdbc.url", jdbcUrl)
                    .config("quarkus.datasource.username", jdbcUsername)
                    .secretConfig("quarkus.datasource.password", jdbcPassword)
                    .secretConfig("tuneforge.registry.auth.admin-token", registryToken);
        }
        return builder;
    }
}
