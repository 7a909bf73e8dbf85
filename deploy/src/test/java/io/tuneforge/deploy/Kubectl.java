package io.tuneforge.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kubectl} that renders kustomizations: {@code $KUBECTL} when set (to test another version, e.g. Debian's
 * kubectl 1.20 with kustomize v2), else the first {@code kubectl} on {@code PATH}.
 */
final class Kubectl {

    private final Path binary;

    private Kubectl(Path binary) {
        this.binary = binary;
    }

    /** The kubectl to use, or empty when there is none (tests then skip and say why). */
    static Optional<Kubectl> find() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("KUBECTL=" + explicit + " is not an executable file; unset it to use "
                        + "the kubectl on PATH");
            }
            return Optional.of(new Kubectl(p));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(p)) {
                return Optional.of(new Kubectl(p));
            }
        }
        return Optional.empty();
    }

    Path binary() {
        return binary;
    }

    /** {@code kubectl kustomize DIR}: the rendered multi-document YAML; fails with kubectl's own message. */
    String kustomize(Path dir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(binary.toString(), "kustomize", dir.toString())
                    .redirectError(err.toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(binary + " kustomize " + dir + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(binary + " kustomize " + dir + " exited with " + p.exitValue() + ": "
                        + Files.readString(err).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
