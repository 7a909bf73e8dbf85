package io.tuneforge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ServiceProcess} with real child JVMs: a tiny HTTP "service" compiled here, and a jar that cannot run. */
class ServiceProcessTest {

    /** Answers /q/health/ready with 200 once its port is open, and prints one environment variable's presence. */
    private static final String FAKE_SERVICE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            public class FakeService {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    server.createContext("/q/health/ready", exchange -> {
                        byte[] body = "{\\"status\\":\\"UP\\"}".getBytes();
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                    System.out.println("greeting=" + System.getProperty("greeting")
                            + " secret-set=" + (System.getenv("DEMO_SECRET_KEY") != null));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void startsAServiceWaitsUntilReadyAndStopsIt() throws Exception {
        Path jar = fakeServiceJar();
        ServiceProcess service = ServiceProcess.builder("fake-service", jar)
                .logDir(dir.resolve("logs"))
                .heap("32m")
                .config("greeting", "hello")
                .secretConfig("demo.secret-key", "s3cr3t-value")
                .start()
                .awaitReady(Duration.ofSeconds(30));
        try {
            assertTrue(service.isAlive());
            assertTrue(service.httpPort() > 0);
            assertEquals(dir.resolve("logs").resolve("fake-service.log").toAbsolutePath(), service.logFile());
            String log = awaitLog(service, "secret-set=");
            assertTrue(log.contains("greeting=hello secret-set=true"), log);
            assertTrue(log.contains("-Dgreeting=hello"), "the header shows the command line: " + log);
            assertTrue(log.contains("DEMO_SECRET_KEY"), "the header names the secret's variable: " + log);
            assertFalse(log.contains("s3cr3t-value"), "the secret never reaches the log: " + log);
        } finally {
            service.close();
        }
        assertFalse(service.isAlive(), "close() stops the child");
        service.close(); // twice is fine
    }

    @Test
    void aDetachedServiceRunsInASessionOfItsOwn() throws Exception {
        ServiceProcess service = ServiceProcess.builder("detached-service", fakeServiceJar())
                .logDir(dir.resolve("logs")).heap("32m").detached(true).start().awaitReady(Duration.ofSeconds(30));
        try {
            // /proc/<pid>/stat field 6 is the session id: setsid made the child the leader of a new session.
            String stat = Files.readString(Path.of("/proc", Long.toString(service.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertEquals(Long.toString(service.pid()), fields[3], "session id of the child: " + stat);
            assertEquals(200, service.get(ServiceProcess.READY_PATH).statusCode());
        } finally {
            service.close();
        }
        assertFalse(service.isAlive());
    }

    @Test
    void aServiceThatExitsBeforeItIsReadyIsReportedWithItsLog() throws IOException {
        Path jar = dir.resolve("broken").resolve("quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not a jar");
        ServiceProcess service = ServiceProcess.builder("broken-service", jar).logDir(dir).heap("32m").start();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.awaitReady(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().startsWith("broken-service exited with code "), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid or corrupt jarfile"), e.getMessage());
    }

    @Test
    void aMissingPackagedJarSaysHowToBuildIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.packagedJar(dir, "registry-service"));
        assertTrue(e.getMessage().startsWith("registry-service is not packaged: "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("registry-service/target/quarkus-app/quarkus-run.jar")
                .toString()), e.getMessage());
        assertTrue(e.getMessage().contains("mvn -B -pl registry-service -am package -DskipTests"), e.getMessage());
    }

    @Test
    void secretsTravelUnderTheirSmallRyeEnvironmentName() {
        assertEquals("TUNEFORGE_STORAGE_SECRET_KEY", ServiceProcess.environmentName("tuneforge.storage.secret-key"));
        assertEquals("QUARKUS_DATASOURCE_PASSWORD", ServiceProcess.environmentName("quarkus.datasource.password"));
    }

    private Path fakeServiceJar() throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path source = src.resolve("FakeService.java");
        Files.writeString(source, FAKE_SERVICE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), source.toString()), "javac");

        Path jar = dir.resolve("app").resolve("quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "FakeService");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("FakeService.class"));
            jarOut.write(Files.readAllBytes(classes.resolve("FakeService.class")));
            jarOut.closeEntry();
        }
        return jar;
    }

    private static String awaitLog(ServiceProcess service, String marker) throws Exception {
        for (int i = 0; i < 100; i++) {
            String log = Files.readString(service.logFile(), StandardCharsets.UTF_8);
            if (log.contains(marker)) {
                return log;
            }
            Thread.sleep(100);
        }
        return Files.readString(service.logFile(), StandardCharsets.UTF_8);
    }
}
