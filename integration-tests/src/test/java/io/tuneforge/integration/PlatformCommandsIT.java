package io.tuneforge.integration;

import io.tuneforge.cli.platform.LocalPlatform;
import io.tuneforge.cli.platform.PlatformEnv;
import io.tuneforge.cli.platform.PlatformHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tuneforge up | status | down} through the CLI's own code against the packaged services: the infrastructure
 * JVM and five detached services come up healthy, a second {@code up} keeps them, a killed service is restarted alone,
 * {@code down} stops everything and removes the run state. State in {@code target/it-platform}, ports + 12000 so a
 * platform a person runs on the default ports is not touched.
 */
class PlatformCommandsIT {

    private static final int OFFSET = 12000;
    private static LocalPlatform platform;

    @BeforeAll
    static void home() throws IOException {
        Path root = Path.of(System.getProperty("tuneforge.repo.root", "..")).toAbsolutePath().normalize();
        Path state = Path.of("target", "it-platform").toAbsolutePath();
        platform = new LocalPlatform(new PlatformHome(root, state));
        platform.down(true, new PrintStream(new ByteArrayOutputStream())); // a previous run's leftovers
    }

    @AfterAll
    static void down() {
        platform.down(true, System.out);
    }

    @Test
    void upStatusUpAgainRestartOneAndDown() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PlatformEnv env = platform.up(new LocalPlatform.Options(OFFSET, false, Duration.ofSeconds(180)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        for (String component : List.of("localstack", "registry-service", "data-service", "augment-service",
                "trainer-service", "eval-service")) {
            assertTrue(out.contains(component), "a progress line per component: " + out);
        }

        // status: six rows, all alive and UP, on the offset ports.
        List<LocalPlatform.ComponentStatus> rows = platform.status();
        assertEquals(6, rows.size(), rows.toString());
        assertTrue(LocalPlatform.allUp(rows), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.address().startsWith("http://127.0.0.1:" + (8085 + OFFSET))),
                rows.toString());

        // platform.env: the contract's keys, owner-only, and its secrets in no log.
        Path envFile = platform.home().envFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
        assertEquals("http://127.0.0.1:" + (8081 + OFFSET), env.get("TUNEFORGE_DATA_URL"));
        assertTrue(env.get(PlatformEnv.KAFKA_BOOTSTRAP).startsWith("127.0.0.1:"));
        for (String secret : List.of(PlatformEnv.S3_SECRET_KEY, PlatformEnv.REGISTRY_TOKEN)) {
            String value = env.get(secret);
            try (Stream<Path> logs = Files.list(platform.home().logs())) {
                for (Path log : logs.toList()) {
                    assertFalse(Files.readString(log, StandardCharsets.ISO_8859_1).contains(value),
                            secret + " appears in " + log);
                }
            }
        }

        // A second up keeps everything; a killed service is restarted alone.
        Map<String, Long> pids = pids();
        ProcessHandle augment = ProcessHandle.of(pids.get("augment-service")).orElseThrow();
        augment.destroyForcibly();
        augment.onExit().get();
        assertFalse(LocalPlatform.allUp(platform.status()), "status sees the killed service");
        platform.up(new LocalPlatform.Options(OFFSET, false, Duration.ofSeconds(180)),
                new PrintStream(new ByteArrayOutputStream()));
        Map<String, Long> after = pids();
        assertTrue(LocalPlatform.allUp(platform.status()), platform.status().toString());
        assertNotEquals(pids.get("augment-service"), after.get("augment-service"), "augment-service restarted");
        pids.keySet().stream().filter(c -> !c.equals("augment-service"))
                .forEach(c -> assertEquals(pids.get(c), after.get(c), c + " kept running"));

        // A port that is taken is named, with the way around it.
        IllegalStateException taken = assertThrows(IllegalStateException.class, () -> new LocalPlatform(
                new PlatformHome(platform.home().root(), platform.home().dir().resolveSibling("it-platform-2")))
                .up(new LocalPlatform.Options(OFFSET, false, Duration.ofSeconds(30)),
                        new PrintStream(new ByteArrayOutputStream())));
        assertTrue(taken.getMessage().startsWith("port " + (9092 + OFFSET) + " (Kafka) on 127.0.0.1 is in use"),
                taken.getMessage());
        assertTrue(taken.getMessage().contains("--port-offset"), taken.getMessage());

        // down: nothing left running, no pid files, no platform.env; the data stays.
        platform.down(false, new PrintStream(new ByteArrayOutputStream()));
        for (long pid : after.values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        assertFalse(Files.exists(envFile));
        try (Stream<Path> run = Files.list(platform.home().run())) {
            assertEquals(List.of(), run.filter(p -> p.toString().endsWith(".pid")).toList());
        }
        assertTrue(Files.isDirectory(platform.home().data().resolve("postgres")), "data kept without --purge");
        assertTrue(platform.status().stream().noneMatch(LocalPlatform.ComponentStatus::alive));
    }

    private static Map<String, Long> pids() {
        return platform.status().stream().collect(Collectors.toMap(LocalPlatform.ComponentStatus::component,
                LocalPlatform.ComponentStatus::pid, (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
