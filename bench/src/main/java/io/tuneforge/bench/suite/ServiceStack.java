package io.tuneforge.bench.suite;

import io.tuneforge.contracts.Topics;
import io.tuneforge.launcher.ServiceProcess;
import io.tuneforge.localstack.LocalStack;
import io.tuneforge.localstack.LocalStackInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The platform the service sections measure: in-process Kafka (every topic and its dead-letter topic), S3Proxy and
 * PostgreSQL from libs/localstack, started once and shared, and packaged services started on it as child processes
 * through libs/launcher's {@code ServiceProcess} with the settings {@code tuneforge up} gives them (the registry's
 * admin token in the child's environment). Service logs go to {@code bench/target/service-logs}.
 */
public final class ServiceStack implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(120);

    private final Path repoRoot;
    private final LocalStack stack;
    private final double startSeconds;
    private final String adminToken = "bench-admin-" + UUID.randomUUID();
    private final List<ServiceProcess> services = new ArrayList<>();

    private ServiceStack(Path repoRoot, LocalStack stack, double startSeconds) {
        this.repoRoot = repoRoot;
        this.stack = stack;
        this.startSeconds = startSeconds;
    }

    public static ServiceStack start(Path repoRoot) {
        List<String> topics = new ArrayList<>(Topics.all());
        Topics.all().forEach(t -> topics.add(Topics.dlq(t)));
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.builder().all().topics(topics.toArray(String[]::new)).start();
        return new ServiceStack(repoRoot, stack, (System.nanoTime() - t0) / 1e9);
    }

    public LocalStackInfo info() {
        return stack.info();
    }

    /** Seconds the infrastructure took to start. */
    public double startSeconds() {
        return startSeconds;
    }

    /** The registry's bootstrap admin token (a secret: only in the child's environment). */
    public String adminToken() {
        return adminToken;
    }

    /**
     * Starts {@code module}'s packaged jar on this stack with {@code heap} ({@code tuneforge up}'s: registry 384m,
     * data-service 512m) and waits until it is ready.
     *
     * @throws IllegalStateException when the module is not packaged (saying how to build it) or never gets ready
     */
    public ServiceProcess service(String module, String heap, Map<String, String> extraConfig) {
        Path jar = ServiceProcess.packagedJar(repoRoot, module);
        Path logDir;
        try {
            logDir = Files.createDirectories(repoRoot.resolve("bench/target/service-logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalStackInfo info = stack.info();
        ServiceProcess.Builder b = ServiceProcess.builder(module, jar)
                .logDir(logDir)
                .heap(heap)
                .config("kafka.bootstrap.servers", info.kafkaBootstrapServers())
                .config("tuneforge.storage.endpoint", info.s3Endpoint())
                .config("tuneforge.storage.access-key", info.s3AccessKey())
                .secretConfig("tuneforge.storage.secret-key", info.s3SecretKey())
                .config("tuneforge.storage.region", info.s3Region())
                .config("tuneforge.storage.bucket", "tuneforge")
                .config("quarkus.log.console.json.enabled", "false")
                .config(extraConfig);
        if (module.equals("registry-service")) {
            b.config("quarkus.datasource.jdbc.url", info.jdbcUrl())
                    .config("quarkus.datasource.username", info.jdbcUsername())
                    .secretConfig("quarkus.datasource.password", info.jdbcPassword())
                    .secretConfig("tuneforge.registry.auth.admin-token", adminToken);
        }
        ServiceProcess service = b.start();
        services.add(service);
        try {
            return service.awaitReady(READY);
        } catch (RuntimeException e) {
            service.close();
            services.remove(service);
            throw e;
        }
    }

    @Override
    public void close() {
        for (ServiceProcess s : services) {
            s.close();
        }
        stack.close();
    }
}
