package io.tuneforge.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.launcher.PidFile;
import io.tuneforge.launcher.ServiceProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The platform on this machine, as {@code tuneforge up | down | status} run it: the infrastructure JVM and the five
 * packaged services as detached processes, found again through their pid files in {@code .tuneforge/run/}.
 */
public final class LocalPlatform {

    /** How {@code up} starts the platform. */
    public record Options(int portOffset, boolean build, Duration readyTimeout) {
        public static Options defaults() {
            return new Options(0, true, Duration.ofSeconds(240));
        }
    }

    /** One row of {@code tuneforge status}. */
    public record ComponentStatus(String component, Long pid, boolean alive, String health, String address) {
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private final PlatformHome home;

    public LocalPlatform(PlatformHome home) {
        this.home = home;
    }

    public PlatformHome home() {
        return home;
    }

    /** The settings of the running platform; empty when it is not up. */
    public Optional<PlatformEnv> env() {
        return PlatformEnv.read(home.envFile());
    }

    /**
     * Brings the platform up: what already runs healthy is kept, what is missing is started. Prints one line per
     * component on {@code out}.
     *
     * @return the platform's settings (as in {@code platform.env})
     * @throws IllegalStateException naming the component that did not start, with the end of its log
     */
    public PlatformEnv up(Options options, PrintStream out) {
        Optional<ProcessHandle> infra = home.pidFile(PlatformComponent.INFRA.name()).process();
        Optional<PlatformEnv> existing = env();
        PlatformEnv env;
        if (infra.isPresent() && existing.isPresent()) {
            env = existing.get();
            out.printf("  %-17s running (pid %d)%n", PlatformComponent.INFRA.name(), infra.get().pid());
        } else {
            stopServices(out); // leftovers of a platform whose infrastructure is gone cannot reconnect
            infra.ifPresent(p -> PidFile.stop(p, STOP_GRACE));
            env = null;
        }
        int offset = env != null ? env.portOffset() : options.portOffset();
        List<PlatformComponent> toStart = new ArrayList<>();
        for (PlatformComponent service : PlatformComponent.SERVICES) {
            Optional<ProcessHandle> running = home.pidFile(service.name()).process();
            if (running.isPresent() && env != null) {
                out.printf("  %-17s running (pid %d)  %s%n", service.name(), running.get().pid(), service.url(offset));
            } else {
                running.ifPresent(p -> PidFile.stop(p, STOP_GRACE));
                home.pidFile(service.name()).delete();
                toStart.add(service);
            }
        }
        if (env == null) {
            Probe.ensureFree(InfraProcess.KAFKA_PORT + offset, "Kafka");
            Probe.ensureFree(InfraProcess.S3_PORT + offset, "S3");
            Probe.ensureFree(InfraProcess.POSTGRES_PORT + offset, "PostgreSQL");
        }
        toStart.forEach(s -> Probe.ensureFree(s.port(offset), s.name()));
        if (!toStart.isEmpty() && options.build()) {
            List<String> stale = ServiceBuild.stale(home.root());
            if (!stale.isEmpty()) {
                out.println("  packaged apps missing or older than their sources: " + String.join(", ", stale));
                ServiceBuild.build(home.root(), out);
            }
        }
        for (PlatformComponent service : toStart) {
            ServiceProcess.packagedJar(home.root(), service.name()); // fail before starting anything
        }
        if (env == null) {
            long t0 = System.nanoTime();
            String accessKey = "tf-" + randomHex(8);
            String secretKey = randomHex(24);
            JsonNode line = InfraProcess.start(home, offset, accessKey, secretKey, options.readyTimeout());
            env = settings(line, offset, accessKey, secretKey);
            env.write(home.envFile());
            out.printf("  %-17s ready in %4.1f s  kafka %s, s3 %s, postgres %s%n", PlatformComponent.INFRA.name(),
                    seconds(t0), env.get(PlatformEnv.KAFKA_BOOTSTRAP), env.get(PlatformEnv.S3_ENDPOINT),
                    env.get(PlatformEnv.POSTGRES_JDBC_URL));
        }
        long t0 = System.nanoTime();
        List<ServiceProcess> started = new ArrayList<>();
        for (PlatformComponent service : toStart) {
            ServiceProcess process = ServiceLaunch.builder(home, service, env).start();
            home.pidFile(service.name()).write(process.pid());
            started.add(process);
        }
        for (ServiceProcess process : started) {
            try {
                process.awaitReady(options.readyTimeout());
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "\nThe rest of the platform still runs: `tuneforge"
                        + " status` shows it, `tuneforge down` stops it.", e);
            }
            out.printf("  %-17s ready in %4.1f s  %s%n", process.name(), seconds(t0), process.baseUri());
        }
        return env;
    }

    /**
     * Stops the services (all asked at once, then each waited for; killed after 20 s), then the infrastructure;
     * removes the pid files and {@code platform.env}. {@code purge} also deletes the data directory.
     */
    public void down(boolean purge, PrintStream out) {
        stopServices(out);
        PidFile infraPid = home.pidFile(PlatformComponent.INFRA.name());
        infraPid.process().ifPresent(p -> stopOne(PlatformComponent.INFRA.name(), p, out));
        infraPid.delete();
        try {
            Files.deleteIfExists(home.envFile());
            Files.deleteIfExists(home.run().resolve("localstack.json"));
            if (purge && Files.exists(home.data())) {
                try (Stream<Path> paths = Files.walk(home.data())) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
                out.println("  deleted " + home.data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + home.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Each component: pid, alive, health and address. */
    public List<ComponentStatus> status() {
        Optional<PlatformEnv> env = env();
        int offset = env.map(PlatformEnv::portOffset).orElse(0);
        List<ComponentStatus> rows = new ArrayList<>();
        PidFile infraPid = home.pidFile(PlatformComponent.INFRA.name());
        Optional<ProcessHandle> infra = infraPid.process();
        String infraHealth = infra.isEmpty() ? "—"
                : Probe.listening(InfraProcess.KAFKA_PORT + offset) && Probe.listening(InfraProcess.S3_PORT + offset)
                && Probe.listening(InfraProcess.POSTGRES_PORT + offset) ? "UP" : "DOWN";
        rows.add(new ComponentStatus(PlatformComponent.INFRA.name(), infraPid.pid().orElse(null), infra.isPresent(),
                infraHealth, env.map(e -> "kafka " + e.get(PlatformEnv.KAFKA_BOOTSTRAP) + ", s3 "
                        + e.get(PlatformEnv.S3_ENDPOINT) + ", postgres 127.0.0.1:"
                        + (InfraProcess.POSTGRES_PORT + offset)).orElse("—")));
        for (PlatformComponent service : PlatformComponent.SERVICES) {
            PidFile pidFile = home.pidFile(service.name());
            boolean alive = pidFile.process().isPresent();
            String url = service.url(offset);
            rows.add(new ComponentStatus(service.name(), pidFile.pid().orElse(null), alive,
                    alive ? Probe.health(url) : "—", url + (service.name().equals("registry-service") ? " (UI "
                    + url + "/ui)" : "")));
        }
        return rows;
    }

    /** Whether every component runs and reports healthy. */
    public static boolean allUp(List<ComponentStatus> rows) {
        return rows.stream().allMatch(r -> r.alive() && "UP".equals(r.health()));
    }

    private void stopServices(PrintStream out) {
        Map<PlatformComponent, ProcessHandle> running = new LinkedHashMap<>();
        List<PlatformComponent> reverse = new ArrayList<>(PlatformComponent.SERVICES);
        java.util.Collections.reverse(reverse);
        for (PlatformComponent service : reverse) {
            home.pidFile(service.name()).process().ifPresent(p -> running.put(service, p));
        }
        running.values().forEach(ProcessHandle::destroy); // side by side: shutdowns overlap
        running.forEach((service, p) -> stopOne(service.name(), p, out));
        PlatformComponent.SERVICES.forEach(s -> home.pidFile(s.name()).delete());
    }

    private static void stopOne(String name, ProcessHandle process, PrintStream out) {
        long t0 = System.nanoTime();
        boolean clean = PidFile.stop(process, STOP_GRACE);
        out.printf("  %-17s stopped (pid %d) in %.1f s%s%n", name, process.pid(), seconds(t0),
                clean ? "" : ", killed after " + STOP_GRACE.toSeconds() + " s");
    }

    private static PlatformEnv settings(JsonNode line, int offset, String accessKey, String secretKey) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(PlatformEnv.KAFKA_BOOTSTRAP, line.at("/kafka/bootstrapServers").asText());
        v.put(PlatformEnv.S3_ENDPOINT, line.at("/s3/endpoint").asText());
        v.put(PlatformEnv.S3_REGION, line.at("/s3/region").asText("us-east-1"));
        v.put(PlatformEnv.S3_BUCKET, "tuneforge");
        v.put(PlatformEnv.S3_ACCESS_KEY, accessKey);
        v.put(PlatformEnv.S3_SECRET_KEY, secretKey);
        v.put(PlatformEnv.REGISTRY_TOKEN, "tfadmin_" + randomHex(24));
        v.put(PlatformEnv.POSTGRES_JDBC_URL, line.at("/postgres/jdbcUrl").asText());
        v.put(PlatformEnv.POSTGRES_USER, line.at("/postgres/username").asText());
        v.put(PlatformEnv.POSTGRES_PASSWORD, line.at("/postgres/password").asText());
        v.put(PlatformEnv.PORT_OFFSET, Integer.toString(offset));
        PlatformComponent.SERVICES.forEach(s -> v.put(s.envKey(), s.url(offset)));
        return new PlatformEnv(v);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
