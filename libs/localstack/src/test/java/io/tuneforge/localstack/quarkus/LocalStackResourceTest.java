package io.tuneforge.localstack.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.tuneforge.localstack.KafkaBroker;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.LocalStackInfo;
import io.tuneforge.localstack.LocalStackMode;
import io.tuneforge.localstack.PostgresServer;
import io.tuneforge.localstack.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

class LocalStackResourceTest {

    @Test
    void startsAllThreeHandsOutWorkingConfigAndCleansUp() throws Exception {
        LocalStackResource resource = new LocalStackResource();
        resource.init(Map.of("topics", "tuneforge.a, tuneforge.b", "partitions", "2", "mode", "embedded"));
        Map<String, String> config = resource.start();
        LocalStack stack = resource.stack();
        Path kafkaData = ((KafkaBroker) stack.kafka()).dataDir();
        Path s3Data = ((S3Server) stack.s3()).dataDir();
        Path pgData = ((PostgresServer) stack.postgres()).dataDir();
        try {
            assertEquals(LocalStackMode.EMBEDDED, stack.mode());
            LocalStackInfo info = LocalStackResource.current();
            assertEquals(stack.info(), info, "current() is rebuilt from system properties");
            assertFalse(info.toString().contains(info.s3SecretKey()), "toString must hide the secret");

            // Kafka: both keys, topics made with 2 partitions
            assertEquals(info.kafkaBootstrapServers(), config.get("kafka.bootstrap.servers"));
            assertEquals(info.kafkaBootstrapServers(), config.get("mp.messaging.connector.smallrye-kafka.bootstrap.servers"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers")))) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of("tuneforge.a", "tuneforge.b"))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                assertEquals(2, topics.get("tuneforge.a").partitions().size());
                assertEquals(2, topics.get("tuneforge.b").partitions().size());
            }

            // S3: the credentials handed out are accepted
            assertEquals("tuneforge", config.get("tuneforge.storage.bucket"));
            assertEquals("us-east-1", config.get("tuneforge.storage.region"));
            MinioClient s3 = MinioClient.builder().endpoint(config.get("tuneforge.storage.endpoint"))
                    .credentials(config.get("tuneforge.storage.access-key"), config.get("tuneforge.storage.secret-key"))
                    .region(config.get("tuneforge.storage.region")).build();
            assertFalse(s3.bucketExists(BucketExistsArgs.builder().bucket("tuneforge").build()));

            // PostgreSQL: the URL points at the created database
            try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals("tuneforge", rs.getString(1));
            }
        } finally {
            resource.stop();
        }
        assertTrue(LocalStackResource.currentIfRunning().isEmpty(), "stop() withdraws the published info");
        IllegalStateException none = assertThrows(IllegalStateException.class, LocalStackResource::current);
        assertTrue(none.getMessage().contains("@WithTestResource"), none.getMessage());
        for (Path dir : List.of(kafkaData, s3Data, pgData)) {
            assertFalse(Files.exists(dir), "temporary data dir must be deleted: " + dir);
        }
    }

    @Test
    void onlyTheSelectedComponentsStartAndAppearInConfig() {
        PostgresResource resource = new PostgresResource();
        resource.init(Map.of("database", "registry", "mode", "embedded"));
        try {
            Map<String, String> config = resource.start();
            assertEquals(Set.of("quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password"),
                    config.keySet());
            assertTrue(config.get("quarkus.datasource.jdbc.url").endsWith("/registry"), config.toString());
            LocalStackInfo info = LocalStackResource.current();
            IllegalStateException e = assertThrows(IllegalStateException.class, info::kafkaBootstrapServers);
            assertTrue(e.getMessage().contains("kafka=true"), e.getMessage());
        } finally {
            resource.stop();
        }
    }

    @Test
    void badInitArgsAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new LocalStackResource().init(Map.of("kafak", "true")));
        assertTrue(unknown.getMessage().contains("'kafak'") && unknown.getMessage().contains("kafka, s3, postgres"),
                unknown.getMessage());

        IllegalArgumentException notBoolean = assertThrows(IllegalArgumentException.class,
                () -> new LocalStackResource().init(Map.of("s3", "yes")));
        assertTrue(notBoolean.getMessage().contains("'yes'"), notBoolean.getMessage());

        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> new KafkaResource().init(Map.of("postgres", "true")));
        assertTrue(fixed.getMessage().contains("KafkaResource always runs"), fixed.getMessage());

        IllegalArgumentException partitions = assertThrows(IllegalArgumentException.class,
                () -> new S3Resource().init(Map.of("partitions", "0")));
        assertTrue(partitions.getMessage().contains("'0'"), partitions.getMessage());
    }
}
