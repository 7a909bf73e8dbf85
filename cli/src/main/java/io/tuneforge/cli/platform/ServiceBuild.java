package io.tuneforge.cli.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Packages the five services when a {@code quarkus-app} is missing or older than the sources it is made of (the
 * service's own, the shared {@code libs/}, the POMs): one Maven build for all of them, which also installs the libs.
 */
final class ServiceBuild {

    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern TUNEFORGE_ARTIFACT = Pattern.compile("<artifactId>tuneforge-([a-z0-9-]+)</artifactId>");

    private ServiceBuild() {
    }

    /** The services whose packaged app is missing or stale; empty when all are fresh. */
    static List<String> stale(Path root) {
        List<String> stale = new ArrayList<>();
        for (PlatformComponent service : PlatformComponent.SERVICES) {
            Path module = root.resolve(service.name());
            Path app = module.resolve("target").resolve("quarkus-app");
            Optional<FileTime> built = newestFile(app);
            FileTime sources = newest(root.resolve("pom.xml"));
            for (Path m : modules(root, module, new LinkedHashSet<>())) {
                sources = max(sources, newest(m.resolve("pom.xml"), m.resolve("src").resolve("main")));
            }
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar")) || built.isEmpty()
                    || built.get().compareTo(sources) < 0) {
                stale.add(service.name());
            }
        }
        return stale;
    }

    /**
     * Runs {@code mvn -B -q -pl <the five services> -am install -DskipTests} in {@code root}, its output on
     * {@code out}.
     *
     * @throws IllegalStateException when Maven is missing or the build fails
     */
    static void build(Path root, PrintStream out) {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-Dstyle.color=never", "-f",
                root.resolve("pom.xml").toString(), "-pl",
                String.join(",", PlatformComponent.SERVICES.stream().map(PlatformComponent::name).toList()),
                "-am", "install", "-DskipTests"));
        out.println("building the services (minutes on a first run; quiet unless it fails): "
                + String.join(" ", command));
        try {
            Process mvn = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
            int code = mvn.waitFor();
            if (code != 0) {
                throw new IllegalStateException("the build of the services failed (mvn exit code " + code
                        + "); its errors are above. Fix them, or start what is already packaged with --no-build");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run Maven (" + e.getMessage() + "): install it (apt-get install"
                    + " maven) or package the services yourself and use --no-build", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the services", e);
        }
    }

    /**
     * {@code module} and the {@code libs/} it depends on outside test scope, directly or through another lib (read from
     * the POMs: {@code <artifactId>tuneforge-NAME</artifactId>} is {@code libs/NAME}).
     */
    static Set<Path> modules(Path root, Path module, Set<Path> seen) {
        if (!seen.add(module)) {
            return seen;
        }
        String pom;
        try {
            if (!Files.isRegularFile(module.resolve("pom.xml"))) {
                return seen;
            }
            pom = Files.readString(module.resolve("pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + module.resolve("pom.xml") + ": " + e.getMessage(), e);
        }
        Matcher dependency = DEPENDENCY.matcher(pom);
        while (dependency.find()) {
            Matcher lib = TUNEFORGE_ARTIFACT.matcher(dependency.group(1));
            Path dir = lib.find() ? root.resolve("libs").resolve(lib.group(1)) : null;
            if (dir != null && !dependency.group(1).contains("<scope>test</scope>") && Files.isDirectory(dir)) {
                modules(root, dir, seen);
            }
        }
        return seen;
    }

    /** Newest modification time of the main sources and POMs under the given roots. */
    private static FileTime newest(Path... roots) {
        FileTime newest = FileTime.fromMillis(0);
        for (Path r : roots) {
            if (!Files.exists(r)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(r)) {
                newest = files.filter(p -> !p.toString().contains("/target/"))
                        .filter(p -> p.toString().contains("/src/main/") || p.endsWith("pom.xml"))
                        .filter(Files::isRegularFile).map(ServiceBuild::modified).reduce(newest, ServiceBuild::max);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + r + ": " + e.getMessage(), e);
            }
        }
        return newest;
    }

    private static Optional<FileTime> newestFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(ServiceBuild::modified).reduce(ServiceBuild::max);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static FileTime max(FileTime a, FileTime b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
