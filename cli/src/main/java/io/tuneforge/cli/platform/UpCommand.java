package io.tuneforge.cli.platform;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code tuneforge up}: the whole platform on this machine, in the background. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start Kafka, S3 and PostgreSQL (one infrastructure JVM) and the five services on this machine,"
                + " in the background, and wait until each is ready.",
                "Builds the services first when their packaged apps are missing or older than the sources.",
                "Ports: data 8081, augment 8082, trainer 8083, eval 8084, registry 8085, Kafka 9092, S3 9000,"
                        + " PostgreSQL 15432 (all + --port-offset).",
                "State: .tuneforge/logs/<component>.log, .tuneforge/run/<component>.pid, .tuneforge/platform.env"
                        + " (addresses and keys for the client commands, mode 0600). Data (datasets, models, runs,"
                        + " registry) stays in .tuneforge/data across `down`/`up`; `down --purge` deletes it.",
                "Running it again keeps what runs and starts what is missing."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port-offset", defaultValue = "0", paramLabel = "N",
            description = "Add N to every port (when the default ones are taken). Default: ${DEFAULT-VALUE}.")
    int portOffset;

    @Option(names = "--no-build", negatable = false,
            description = "Start what is packaged, without building missing or stale services.")
    boolean noBuild;

    @Option(names = "--timeout", defaultValue = "240", paramLabel = "SECONDS",
            description = "How long each component may take to become ready. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (portOffset < 0 || portOffset > 50000) {
            throw new IllegalArgumentException("--port-offset must be between 0 and 50000, got " + portOffset);
        }
        LocalPlatform platform = new LocalPlatform(PlatformHome.locate());
        up(platform, new LocalPlatform.Options(portOffset, !noBuild, Duration.ofSeconds(timeoutSeconds)));
        return 0;
    }

    /** Brings the platform up (or says it already is) and prints the addresses. */
    public static PlatformEnv up(LocalPlatform platform, LocalPlatform.Options options) {
        System.out.println("tuneforge up: " + platform.home().dir());
        boolean wasUp = LocalPlatform.allUp(platform.status());
        PlatformEnv env = wasUp ? platform.env().orElseThrow() : platform.up(options, System.out);
        if (wasUp) {
            System.out.println("The platform is already up and healthy:");
        }
        StatusCommand.print(platform.status(), System.out);
        String registry = env.get("TUNEFORGE_REGISTRY_URL");
        System.out.printf("%nRegistry UI  %s/ui  (sign in with TUNEFORGE_REGISTRY_TOKEN from %s)%n", registry,
                platform.home().envFile());
        System.out.println("Logs         " + platform.home().logs());
        System.out.println("Stop with    tuneforge down");
        return env;
    }
}
