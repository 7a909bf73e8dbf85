package io.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service (fast-jar {@code quarkus-run.jar}) running as a child JVM on a loopback port, with its
 * console log in a file.
 * <pre>{@code
 * Path jar = ServiceProcess.packagedJar(repoRoot, "registry-service");
 * try (ServiceProcess registry = ServiceProcess.builder("registry-service", jar)
 *         .logDir(Path.of("target/service-logs"))
 *         .config("kafka.bootstrap.servers", bootstrap)
 *         .secretConfig("quarkus.datasource.password", password)   // environment, not the command line
 *         .start()
 *         .awaitReady(Duration.ofSeconds(60))) {
 *     URI api = registry.baseUri().resolve("/api/runs");
 * }
 * }</pre>
 * Plain settings go on the command line as {@code -Dkey=value}; secrets go in the child's environment under
 * the SmallRye name ({@code quarkus.datasource.password} → {@code QUARKUS_DATASOURCE_PASSWORD}), so they show
 * neither in {@code ps} nor in the log header. {@link #close()} asks the service to stop (SIGTERM: Quarkus shuts
 * down gracefully) and kills it if it has not stopped after {@link Builder#stopTimeout}.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The readiness endpoint of quarkus-smallrye-health. */
    public static final String READY_PATH = "/q/health/ready";
    private static final String HOST = "127.0.0.1";
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path logFile;
    private final Duration stopTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(String name, Process process, int httpPort, Path logFile, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.stopTimeout = stopTimeout;
    }

    public static Builder builder(String name, Path quarkusRunJar) {
        return new Builder(name, quarkusRunJar);
    }

    /**
     * {@code <repoRoot>/<module>/target/quarkus-app/quarkus-run.jar}, checked.
     *
     * @throws IllegalStateException when the module is not packaged, saying how to package it
     */
    public static Path packagedJar(Path repoRoot, String module) {
        Path jar = repoRoot.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar")
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " is not packaged: " + jar + " does not exist. Package it first"
                    + " with `mvn -B -pl " + module + " -am package -DskipTests` (a `mvn verify` from the"
                    + " repository root packages every service before the integration tests run).");
        }
        return jar;
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://" + HOST + ":" + httpPort + "/");
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code GET /q/health/ready} answers 200.
     *
     * @return this
     * @throws IllegalStateException when the process exits first, or on timeout; with the last health answer and
     *                               the end of the service's log
     */
    public ServiceProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String lastAnswer = "no answer yet";
        HttpRequest request = HttpRequest.newBuilder(baseUri().resolve(READY_PATH))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Its log, " + logFile + ", ends with:\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
                lastAnswer = response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                lastAnswer = "connection refused (not listening yet)";
            } catch (IOException e) {
                lastAnswer = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name + " to be ready", e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s at "
                + baseUri().resolve(READY_PATH) + "; last answer: " + lastAnswer + ". Its log, " + logFile
                + ", ends with:\n" + logTail(LOG_TAIL_LINES));
    }

    /**
     * {@code GET path} on the service, e.g. {@code get("/q/health/ready")}.
     *
     * @throws IllegalStateException when the service does not answer (not listening, or gone)
     */
    public HttpResponse<String> get(String path) {
        URI uri = baseUri().resolve(path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(name + " did not answer GET " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + uri, e);
        }
    }

    /** The last {@code lines} lines of the service's log (empty when there is none yet). */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Asks the service to stop (SIGTERM) and returns at once; {@link #close()} then waits. Lets several services
     * shut down side by side.
     */
    public void requestStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Stops the service: SIGTERM, then a kill after the stop timeout. Safe to call twice. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", " + baseUri() + ", log " + logFile + "]";
    }

    /**
     * The environment variable SmallRye Config reads for a property: every character that is not a letter or digit
     * becomes {@code _}, the rest is upper-cased ({@code tuneforge.storage.secret-key} →
     * {@code TUNEFORGE_STORAGE_SECRET_KEY}).
     */
    public static String environmentName(String property) {
        StringBuilder sb = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** How to start one service. */
    public static final class Builder {

        private final String name;
        private final Path jar;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        private String heap = "256m";
        private int httpPort;
        private Path logDir = Path.of("target", "service-logs");
        private Duration stopTimeout = Duration.ofSeconds(15);
        private boolean detached;

        private Builder(String name, Path jar) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("Service name '" + name
                        + "' must be letters, digits, '.', '_' or '-' (it names the log file)");
            }
            this.name = name;
            this.jar = jar;
        }

        /** {@code -Dkey=value} on the child's command line (and in the log header): not for secrets. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        public Builder config(Map<String, String> values) {
            values.forEach(this::config);
            return this;
        }

        /** A setting passed in the child's environment, never shown: passwords, secret keys. */
        public Builder secretConfig(String key, String value) {
            secrets.put(key, value);
            return this;
        }

        /** A plain environment variable of the child (e.g. {@code OMP_WAIT_POLICY}); shown in the log header. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** {@code -Xmx} of the child; 256m by default. */
        public Builder heap(String maxHeap) {
            this.heap = maxHeap;
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Directory of {@code <name>.log}; {@code target/service-logs} by default. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Lets the service outlive this JVM and its terminal ({@code tuneforge up}): it runs in a session of its own
         * ({@code setsid}, when the system has it) and reads nothing from this process (stdin is {@code /dev/null}).
         * Record its {@link ServiceProcess#pid()} in a {@link PidFile}; {@link ServiceProcess#close()} still stops it.
         */
        public Builder detached(boolean value) {
            this.detached = value;
            return this;
        }

        /**
         * Launches the service and returns at once; call {@link ServiceProcess#awaitReady} next.
         *
         * @throws IllegalStateException when the jar is missing or the JVM cannot be launched
         */
        public ServiceProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Cannot start " + name + ": " + jar + " does not exist; package the"
                        + " service first (mvn -pl <module> -am package -DskipTests)");
            }
            int port = httpPort != 0 ? httpPort : FreePort.pick();
            List<String> command = new ArrayList<>();
            if (detached) {
                command.addAll(Detached.prefix());
            }
            command.add(javaExecutable());
            command.add("-Xmx" + heap);
            command.addAll(jvmArgs);
            command.add("-Dquarkus.http.host=" + HOST);
            command.add("-Dquarkus.http.port=" + port);
            config.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar.toString());

            Path log = logDir.resolve(name + ".log").toAbsolutePath();
            try {
                Files.createDirectories(logDir);
                Files.writeString(log, "# " + Instant.now() + " " + environment.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue() + " ").reduce("", String::concat)
                        + String.join(" ", command)
                        + (secrets.isEmpty() ? "" : "  (+ environment: " + String.join(", ",
                        secrets.keySet().stream().map(ServiceProcess::environmentName).toList()) + ")")
                        + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the log of " + name + " at " + log, e);
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(jar.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (detached) {
                pb.redirectInput(Detached.NO_INPUT);
            }
            pb.environment().putAll(environment);
            secrets.forEach((k, v) -> pb.environment().put(environmentName(k), v));
            try {
                return new ServiceProcess(name, pb.start(), port, log, stopTimeout);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot launch " + name + " with " + command.get(0) + ": "
                        + e.getMessage(), e);
            }
        }

        /** The {@code java} of this JVM (children run on the same JDK). */
        public static String javaExecutable() {
            return ProcessHandle.current().info().command()
                    .filter(c -> c.endsWith("java"))
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }
}
