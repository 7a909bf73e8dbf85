package io.tuneforge.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.launcher.Detached;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.LocalStackMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The infrastructure JVM of {@code tuneforge up}: {@link LocalStackMain} (Kafka KRaft broker, S3Proxy, embedded
 * PostgreSQL) on fixed loopback ports, detached, with its data in {@code .tuneforge/data}. Its one JSON line (which
 * holds the S3 keys) goes to {@code run/localstack.json} (mode 0600), its log to {@code logs/localstack.log}; the S3
 * keys are handed over in its environment, never on the command line.
 */
final class InfraProcess {

    /** Kafka, S3 and PostgreSQL ports before {@code --port-offset}; PostgreSQL avoids a system server's 5432. */
    static final int KAFKA_PORT = 9092;
    static final int S3_PORT = 9000;
    static final int POSTGRES_PORT = 15432;

    private InfraProcess() {
    }

    /** Every topic of the platform and its dead-letter topic, created at start. */
    static List<String> topics() {
        List<String> topics = new ArrayList<>(Topics.all());
        Topics.all().forEach(t -> topics.add(Topics.dlq(t)));
        return topics;
    }

    /**
     * Starts the infrastructure and waits for its address line.
     *
     * @return the parsed line: {@code kafka.bootstrapServers}, {@code s3.endpoint}, {@code postgres.jdbcUrl}, ...
     * @throws IllegalStateException when it exits or stays silent, with the end of its log
     */
    static JsonNode start(PlatformHome home, int offset, String accessKey, String secretKey, Duration timeout) {
        Path json = home.run().resolve("localstack.json");
        Path log = home.log(PlatformComponent.INFRA.name());
        List<String> command = new ArrayList<>(Detached.prefix());
        command.addAll(List.of(ServiceProcess.Builder.javaExecutable(), "-Xmx" + PlatformComponent.INFRA.heap(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName(),
                "--kafka-port", Integer.toString(KAFKA_PORT + offset),
                "--s3-port", Integer.toString(S3_PORT + offset),
                "--postgres-port", Integer.toString(POSTGRES_PORT + offset),
                "--data-dir", home.data().toString(),
                "--topics", String.join(",", topics())));
        Process process;
        try {
            Files.createDirectories(home.run());
            Files.createDirectories(home.logs());
            Files.createDirectories(home.data());
            Files.deleteIfExists(json);
            Files.createFile(json, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(log, "# " + Instant.now() + " " + String.join(" ", command).replace(
                    String.join(",", topics()), "<" + topics().size() + " topics>") + "\n", StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command).directory(home.root().toFile())
                    .redirectInput(Detached.NO_INPUT)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(json.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("TUNEFORGE_S3_ACCESS_KEY", accessKey);
            pb.environment().put("TUNEFORGE_S3_SECRET_KEY", secretKey);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the infrastructure (" + LocalStackMain.class.getName() + "): "
                    + e.getMessage(), e);
        }
        home.pidFile(PlatformComponent.INFRA.name()).write(process.pid());
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String line = firstLine(json);
            if (line.startsWith("{")) {
                return Json.read(line, JsonNode.class);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the infrastructure (Kafka, S3, PostgreSQL) exited with code "
                        + process.exitValue() + " before it was ready. " + Logs.tail(log));
            }
            Logs.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("the infrastructure (Kafka, S3, PostgreSQL) was not ready within "
                + timeout.toSeconds() + " s. " + Logs.tail(log));
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return nl < 0 ? "" : text.substring(0, nl).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
