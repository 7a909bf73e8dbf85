package io.tuneforge.cli.platform;

import io.tuneforge.launcher.PlatformWiring;
import io.tuneforge.launcher.ServiceProcess;

import java.time.Duration;

/**
 * How {@code tuneforge up} starts each packaged service: {@link PlatformWiring} (Kafka, S3, and PostgreSQL plus the
 * admin token for registry-service only — as the integration tests wire them), secrets in the environment, the fixed
 * port, a small heap, detached, its log in {@code .tuneforge/logs/}. augment-service's OpenAI-compatible client
 * points at eval-service's own {@code /v1} endpoint, so augmentation works with no outside API.
 */
final class ServiceLaunch {

    /** The model augment-service asks eval-service for unless a job names another: {@code models/<name>/}. */
    static final String DEFAULT_LLM_MODEL = "tuneforge-demo-tiny";

    private ServiceLaunch() {
    }

    static ServiceProcess.Builder builder(PlatformHome home, PlatformComponent service, PlatformEnv env) {
        int offset = env.portOffset();
        ServiceProcess.Builder b = ServiceProcess.builder(service.name(),
                        ServiceProcess.packagedJar(home.root(), service.name()))
                .detached(true)
                .logDir(home.logs())
                .httpPort(service.port(offset))
                .heap(service.heap())
                .stopTimeout(Duration.ofSeconds(20))
                .environment("OMP_WAIT_POLICY", "PASSIVE");
        new PlatformWiring(env.get(PlatformEnv.KAFKA_BOOTSTRAP), env.get(PlatformEnv.S3_ENDPOINT),
                env.get(PlatformEnv.S3_REGION), env.get(PlatformEnv.S3_BUCKET), env.get(PlatformEnv.S3_ACCESS_KEY),
                env.get(PlatformEnv.S3_SECRET_KEY), env.get(PlatformEnv.POSTGRES_JDBC_URL),
                env.get(PlatformEnv.POSTGRES_USER), env.get(PlatformEnv.POSTGRES_PASSWORD),
                env.get(PlatformEnv.REGISTRY_TOKEN)).applyTo(service.name(), b);
        switch (service.name()) {
            case "augment-service" -> b
                    .config("tuneforge.augment.llm.base-url",
                            PlatformComponent.service("eval-service").orElseThrow().url(offset) + "/v1")
                    .config("tuneforge.augment.llm.model", DEFAULT_LLM_MODEL)
                    // eval-service asks for no key; a placeholder keeps OpenAI clients that insist on one content.
                    .secretConfig("tuneforge.augment.llm.api-key", "local-platform");
            case "trainer-service", "eval-service" -> b
                    .jvmArg("-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR",
                            System.getProperty("user.home") + "/.djl.ai"));
            default -> {
            }
        }
        return b;
    }
}
