package io.tuneforge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PlatformWiring}: what each service is given, read from the command line its log header records. */
class PlatformWiringTest {

    private static final PlatformWiring WIRING = new PlatformWiring("127.0.0.1:9092", "http://127.0.0.1:9000",
            "us-east-1", "tuneforge", "access-AKID", "secret-S3KEY", "jdbc:postgresql://127.0.0.1:15432/tuneforge",
            "postgres", "db-PASSWORD", "admin-TOKEN-0123456789");

    @TempDir
    Path dir;

    @Test
    void everyServiceGetsKafkaAndTheStoreAndOnlyTheRegistryGetsTheDatabase() throws Exception {
        String data = header("data-service");
        assertTrue(data.contains("-Dkafka.bootstrap.servers=127.0.0.1:9092"), data);
        assertTrue(data.contains("-Dtuneforge.storage.endpoint=http://127.0.0.1:9000"), data);
        assertTrue(data.contains("-Dtuneforge.storage.bucket=tuneforge"), data);
        assertTrue(data.contains("TUNEFORGE_STORAGE_ACCESS_KEY") && data.contains("TUNEFORGE_STORAGE_SECRET_KEY"), data);
        assertFalse(data.contains("quarkus.datasource"), "no database for data-service: " + data);

        String registry = header("registry-service");
        assertTrue(registry.contains("-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:15432/tuneforge"),
                registry);
        assertTrue(registry.contains("QUARKUS_DATASOURCE_PASSWORD")
                && registry.contains("TUNEFORGE_REGISTRY_AUTH_ADMIN_TOKEN"), registry);
        for (String secret : new String[] {"access-AKID", "secret-S3KEY", "db-PASSWORD", "admin-TOKEN-0123456789"}) {
            assertFalse(data.contains(secret) || registry.contains(secret), secret + " shown: " + registry);
        }
    }

    /** Starts a JVM that fails at once (not a jar) and returns the log header ServiceProcess wrote. */
    private String header(String service) throws Exception {
        Path jar = dir.resolve(service + ".jar");
        Files.writeString(jar, "not a jar");
        try (ServiceProcess process = WIRING.applyTo(service, ServiceProcess.builder(service, jar)
                .logDir(dir).heap("16m")).start()) {
            return Files.readAllLines(process.logFile()).get(0);
        }
    }
}
