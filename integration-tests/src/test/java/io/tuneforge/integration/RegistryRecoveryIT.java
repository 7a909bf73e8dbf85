package io.tuneforge.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.Component;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.Ports;
import io.tuneforge.localstack.PostgresServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged registry started before its database: it stays up, says why it is not ready, answers 503 instead of
 * failing, and heals by itself once PostgreSQL appears (no restart, no stack-trace loop).
 */
class RegistryRecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void startsWithoutItsDatabaseAndHealsWhenPostgresComesUp() throws Exception {
        Path root = Path.of(System.getProperty("tuneforge.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = ServiceProcess.packagedJar(root, "registry-service");
        int postgresPort = Ports.free();
        int noBroker = Ports.free();
        String adminToken = "it-admin-" + java.util.UUID.randomUUID();
        try (ServiceProcess registry = ServiceProcess.builder("registry-service-without-db", jar)
                .logDir(Path.of(System.getProperty("tuneforge.it.log-dir", "target/service-logs")))
                .config("kafka.bootstrap.servers", "127.0.0.1:" + noBroker)
                .config("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/tuneforge")
                .config("quarkus.datasource.username", PostgresServer.USER)
                .secretConfig("quarkus.datasource.password", PostgresServer.PASSWORD)
                .secretConfig("tuneforge.registry.auth.admin-token", adminToken)
                .config("tuneforge.registry.schema.retry-interval", "PT1S")
                .config("quarkus.log.console.json.enabled", "false")
                .start()) {

            JsonNode down = awaitReadiness(registry, body -> "DOWN".equals(schemaCheck(body).path("status").asText()));
            String reason = schemaCheck(down).path("data").path("reason").asText();
            assertTrue(reason.contains("127.0.0.1:" + postgresPort) && reason.contains("refused"), reason);
            HttpResponse<String> unavailable = registry.get("/api/runs");
            assertEquals(503, unavailable.statusCode(), unavailable.body());
            assertTrue(unavailable.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
            assertEquals("5", unavailable.headers().firstValue("retry-after").orElse(""));

            try (LocalStack postgres = LocalStack.builder().with(Component.POSTGRES).ports(0, 0, postgresPort).start()) {
                JsonNode up = awaitReadiness(registry, body -> "UP".equals(schemaCheck(body).path("status").asText()));
                assertEquals("2", schemaCheck(up).path("data").path("version").asText(), up.toString());
                HttpResponse<String> runs = registry.get("/api/runs");
                assertEquals(200, runs.statusCode(), runs.body());
                assertTrue(registry.isAlive());
            }
            // Logged when the reason changes (refused → database missing while PostgreSQL creates it), never per retry.
            String log = Files.readString(registry.logFile());
            long logged = log.lines().filter(l -> l.contains("Registry schema not migrated")).count();
            long distinctReasons = log.lines().filter(l -> l.contains("Registry schema not migrated"))
                    .map(l -> l.substring(l.indexOf("Registry schema not migrated"))).distinct().count();
            assertEquals(distinctReasons, logged,
                    "the missing database is logged once per reason, not on every retry:\n" + registry.logTail(40));
            assertTrue(logged <= 2, "at most: connection refused, then database missing:\n" + registry.logTail(40));
        }
    }

    private static JsonNode schemaCheck(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if ("Registry schema".equals(check.path("name").asText())) {
                return check;
            }
        }
        return Json.mapper().createObjectNode();
    }

    /** Polls {@code /q/health/ready} (any status code) until its JSON body satisfies {@code done}. */
    private static JsonNode awaitReadiness(ServiceProcess service, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!service.isAlive()) {
                fail(service.name() + " exited; its log ends with:\n" + service.logTail(40));
            }
            try {
                HttpResponse<String> response = service.get(ServiceProcess.READY_PATH);
                last = response.statusCode() + " " + response.body();
                JsonNode body = Json.mapper().readTree(response.body());
                if (done.test(body)) {
                    return body;
                }
            } catch (IllegalStateException notListeningYet) {
                last = notListeningYet.getMessage();
            }
            Thread.sleep(250);
        }
        return fail("Readiness of " + service.name() + " never reached the expected state; last: " + last
                + "\nlog:\n" + service.logTail(40));
    }
}
