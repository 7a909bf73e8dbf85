package io.tuneforge.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the S3Proxy {@code jar-with-dependencies} that {@link S3Server} runs as a child JVM.
 *
 * <p>Order: system property {@value #JAR_PROPERTY}; then the local Maven repository named by
 * {@code maven.repo.local}; the repository of the build that made this jar; {@code ~/.m2/repository}.
 * The tuneforge-localstack pom declares the jar with scope {@code provided}, so building this
 * module downloads it without putting it on anyone's classpath.
 */
public final class S3ProxyJar {

    public static final String JAR_PROPERTY = "tuneforge.s3proxy.jar";

    private S3ProxyJar() {
    }

    public static Path locate() {
        String explicit = System.getProperty(JAR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path jar = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new LocalStackException("-D" + JAR_PROPERTY + "=" + explicit
                        + " is not a file; point it at s3proxy-" + BuildInfo.s3proxyVersion() + "-jar-with-dependencies.jar");
            }
            return jar;
        }
        List<Path> tried = new ArrayList<>();
        for (Path repository : repositories()) {
            Path jar = inRepository(repository);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            tried.add(jar);
        }
        String version = BuildInfo.s3proxyVersion();
        throw new LocalStackException("S3Proxy jar not found; looked at " + tried + ". Fetch it with "
                + "`mvn dependency:get -Dartifact=org.gaul:s3proxy:" + version + ":jar:jar-with-dependencies` "
                + "(or build libs/localstack), or set -D" + JAR_PROPERTY + "=/path/to/s3proxy-" + version
                + "-jar-with-dependencies.jar");
    }

    static Path inRepository(Path repository) {
        String version = BuildInfo.s3proxyVersion();
        return repository.resolve("org").resolve("gaul").resolve("s3proxy").resolve(version)
                .resolve("s3proxy-" + version + "-jar-with-dependencies.jar");
    }

    private static List<Path> repositories() {
        List<Path> repositories = new ArrayList<>();
        String fromProperty = System.getProperty("maven.repo.local");
        if (fromProperty != null && !fromProperty.isBlank()) {
            repositories.add(Path.of(fromProperty));
        }
        String fromBuild = BuildInfo.buildMavenRepository();
        if (fromBuild != null && !fromBuild.isBlank()) {
            repositories.add(Path.of(fromBuild));
        }
        repositories.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        return repositories.stream().map(Path::toAbsolutePath).distinct().toList();
    }
}
