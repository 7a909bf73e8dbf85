package io.tuneforge.localstack.quarkus;

import io.tuneforge.localstack.Component;
import io.tuneforge.localstack.LocalStackInfo;
import java.util.Optional;
import java.util.Set;

/**
 * The running servers' addresses as system properties ({@code tuneforge.localstack.*}): the one
 * store every class loader of the JVM sees, so {@link LocalStackResource#current()} works whether
 * or not the test class shares the resource's class loader.
 */
final class PublishedInfo {

    static final String PREFIX = "tuneforge.localstack.";
    private static final String KAFKA = PREFIX + "kafka.bootstrap-servers";
    private static final String S3_ENDPOINT = PREFIX + "s3.endpoint";
    private static final String S3_ACCESS_KEY = PREFIX + "s3.access-key";
    private static final String S3_SECRET_KEY = PREFIX + "s3.secret-key";
    private static final String S3_REGION = PREFIX + "s3.region";
    private static final String JDBC_URL = PREFIX + "postgres.jdbc-url";
    private static final String JDBC_USERNAME = PREFIX + "postgres.username";
    private static final String JDBC_PASSWORD = PREFIX + "postgres.password";

    private PublishedInfo() {
    }

    static synchronized void publish(LocalStackInfo info, Set<Component> components) {
        if (components.contains(Component.KAFKA)) {
            System.setProperty(KAFKA, info.kafkaBootstrapServers());
        }
        if (components.contains(Component.S3)) {
            System.setProperty(S3_ENDPOINT, info.s3Endpoint());
            System.setProperty(S3_ACCESS_KEY, info.s3AccessKey());
            System.setProperty(S3_SECRET_KEY, info.s3SecretKey());
            System.setProperty(S3_REGION, info.s3Region());
        }
        if (components.contains(Component.POSTGRES)) {
            System.setProperty(JDBC_URL, info.jdbcUrl());
            System.setProperty(JDBC_USERNAME, info.jdbcUsername());
            System.setProperty(JDBC_PASSWORD, info.jdbcPassword());
        }
    }

    static synchronized void clear(Set<Component> components) {
        if (components.contains(Component.KAFKA)) {
            System.clearProperty(KAFKA);
        }
        if (components.contains(Component.S3)) {
            System.clearProperty(S3_ENDPOINT);
            System.clearProperty(S3_ACCESS_KEY);
            System.clearProperty(S3_SECRET_KEY);
            System.clearProperty(S3_REGION);
        }
        if (components.contains(Component.POSTGRES)) {
            System.clearProperty(JDBC_URL);
            System.clearProperty(JDBC_USERNAME);
            System.clearProperty(JDBC_PASSWORD);
        }
    }

    static synchronized Optional<LocalStackInfo> read() {
        LocalStackInfo info = new LocalStackInfo(
                System.getProperty(KAFKA),
                System.getProperty(S3_ENDPOINT),
                System.getProperty(S3_ACCESS_KEY),
                System.getProperty(S3_SECRET_KEY),
                System.getProperty(S3_REGION),
                System.getProperty(JDBC_URL),
                System.getProperty(JDBC_USERNAME),
                System.getProperty(JDBC_PASSWORD));
        return info.hasKafka() || info.hasS3() || info.hasPostgres() ? Optional.of(info) : Optional.empty();
    }
}
