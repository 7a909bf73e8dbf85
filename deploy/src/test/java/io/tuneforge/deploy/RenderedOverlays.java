package io.tuneforge.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where the manifests are, and each overlay rendered once per test JVM with {@link Kubectl}. */
final class RenderedOverlays {

    /** The module directory, deploy/ (surefire's working directory). */
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final Path REPOSITORY = DEPLOY.getParent();
    static final List<String> OVERLAYS = List.of("dev", "production", "gpu");
    static final List<String> SERVICES = List.of("data-service", "augment-service", "trainer-service",
            "eval-service", "registry-service");
    static final String NAMESPACE = "tuneforge";

    private static final Optional<Kubectl> KUBECTL = Kubectl.find();
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private RenderedOverlays() {
    }

    /** Skips the calling test, saying why, when this machine has no kubectl. */
    static Kubectl kubectl() {
        assumeTrue(KUBECTL.isPresent(), "no kubectl on PATH and no $KUBECTL: the kustomize overlays are not "
                + "rendered or checked here (.ci/run installs kubectl on CI machines)");
        return KUBECTL.get();
    }

    static Manifests overlay(String name) throws IOException, InterruptedException {
        return render(DEPLOY.resolve("overlays").resolve(name));
    }

    /** A fresh parse (objects may be changed by the caller) of a directory rendered at most once. */
    static Manifests render(Path dir) throws IOException, InterruptedException {
        Kubectl kubectl = kubectl();
        String yaml = RENDERED.get(dir);
        if (yaml == null) {
            yaml = kubectl.kustomize(dir);
            RENDERED.put(dir, yaml);
        }
        return Manifests.parse((dir.startsWith(DEPLOY) ? DEPLOY.relativize(dir) : dir).toString(), yaml);
    }
}
