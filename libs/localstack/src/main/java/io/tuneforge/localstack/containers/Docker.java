package io.tuneforge.localstack.containers;

import io.tuneforge.localstack.QuietLogs;

/**
 * Whether a Docker engine answers, asked once per JVM through Testcontainers (about 0.5 s when
 * there is none). False also when Testcontainers is not on the class path.
 */
public final class Docker {

    private static volatile Boolean available;

    private Docker() {
    }

    public static boolean isAvailable() {
        Boolean known = available;
        if (known == null) {
            synchronized (Docker.class) {
                known = available;
                if (known == null) {
                    known = ask();
                    available = known;
                }
            }
        }
        return known;
    }

    /**
     * Testcontainers logs a multi-line ERROR when no engine is found; "no Docker" is an expected
     * answer here, so its loggers are silenced for the question.
     */
    private static boolean ask() {
        return QuietLogs.silenced("org.testcontainers", () -> {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (LinkageError | RuntimeException e) {
                return false;
            }
        });
    }
}
