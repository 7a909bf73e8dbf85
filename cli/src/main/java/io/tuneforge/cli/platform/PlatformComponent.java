package io.tuneforge.cli.platform;

import java.util.List;
import java.util.Optional;

/**
 * One process of the local platform.
 *
 * @param name        component name: log, pid file and status row
 * @param defaultPort HTTP port of a service (before {@code --port-offset}); for the infrastructure, its Kafka port
 * @param heap        {@code -Xmx} of its JVM: small, so the platform fits 2 cores and a few GiB
 * @param envKey      the {@code platform.env} key of its address ({@code TUNEFORGE_DATA_URL}), or null
 */
public record PlatformComponent(String name, int defaultPort, String heap, String envKey) {

    /** The infrastructure JVM ({@code LocalStackMain}: Kafka, S3Proxy, PostgreSQL). */
    public static final PlatformComponent INFRA = new PlatformComponent("localstack", 9092, "384m", null);

    /** The five services in start order; {@code down} stops them in reverse, then the infrastructure. */
    public static final List<PlatformComponent> SERVICES = List.of(
            new PlatformComponent("registry-service", 8085, "384m", "TUNEFORGE_REGISTRY_URL"),
            new PlatformComponent("data-service", 8081, "512m", "TUNEFORGE_DATA_URL"),
            new PlatformComponent("augment-service", 8082, "384m", "TUNEFORGE_AUGMENT_URL"),
            new PlatformComponent("trainer-service", 8083, "1g", "TUNEFORGE_TRAINER_URL"),
            new PlatformComponent("eval-service", 8084, "768m", "TUNEFORGE_EVAL_URL"));

    public static Optional<PlatformComponent> service(String name) {
        return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public int port(int offset) {
        return defaultPort + offset;
    }

    public String url(int offset) {
        return "http://127.0.0.1:" + port(offset);
    }

    public boolean isInfra() {
        return envKey == null;
    }
}
