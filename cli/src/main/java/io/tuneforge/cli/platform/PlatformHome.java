package io.tuneforge.cli.platform;

import java.nio.file.Path;

/**
 * Where {@code tuneforge up} keeps its state: {@code <repo>/.tuneforge/} (git-ignored) —
 * {@code logs/<component>.log}, {@code run/<component>.pid}, {@code platform.env} (mode 0600, the addresses and
 * credentials clients read) and {@code data/} (Kafka, S3 and PostgreSQL data; kept across {@code down}, wiped by
 * {@code down --purge}).
 *
 * @param root the repository root, where the packaged services are: system property {@code tuneforge.home} (set by
 *             the {@code ./tuneforge} wrapper), else the working directory
 * @param dir  the state directory: {@code <root>/.tuneforge} (tests use one of their own)
 */
public record PlatformHome(Path root, Path dir) {

    public static final String HOME_PROPERTY = "tuneforge.home";

    public static PlatformHome locate() {
        Path root = Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
        return new PlatformHome(root, root.resolve(".tuneforge"));
    }

    public Path logs() {
        return dir().resolve("logs");
    }

    public Path run() {
        return dir().resolve("run");
    }

    public Path data() {
        return dir().resolve("data");
    }

    public Path envFile() {
        return dir().resolve("platform.env");
    }

    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    public io.tuneforge.launcher.PidFile pidFile(String component) {
        return new io.tuneforge.launcher.PidFile(run().resolve(component + ".pid"));
    }
}
