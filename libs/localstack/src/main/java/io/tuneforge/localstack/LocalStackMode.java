package io.tuneforge.localstack;

import io.tuneforge.localstack.containers.Docker;
import java.util.Locale;

/**
 * Where the servers of a {@link LocalStack} run. System property {@value #PROPERTY}
 * ({@code embedded|containers|auto}, default {@code auto}) chooses when the code does not.
 */
public enum LocalStackMode {
    /** In this JVM and child processes on this machine; needs nothing but Java. */
    EMBEDDED,
    /** Testcontainers: Kafka, MinIO and PostgreSQL images on a Docker engine. */
    CONTAINERS,
    /** {@link #CONTAINERS} when a Docker engine answers, else {@link #EMBEDDED}. */
    AUTO;

    public static final String PROPERTY = "tuneforge.localstack.mode";

    /** The mode named by the system property, {@link #AUTO} when it is unset. */
    public static LocalStackMode fromSystemProperty() {
        return parse(System.getProperty(PROPERTY, "auto"));
    }

    public static LocalStackMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(PROPERTY + " must be embedded, containers or auto, got '" + value + "'");
        }
    }

    /**
     * {@link #EMBEDDED} or {@link #CONTAINERS}: AUTO asks Docker (about 0.5 s when none is there);
     * CONTAINERS without a Docker engine is an error that says so.
     */
    public LocalStackMode resolve() {
        return switch (this) {
            case EMBEDDED -> EMBEDDED;
            case AUTO -> Docker.isAvailable() ? CONTAINERS : EMBEDDED;
            case CONTAINERS -> {
                if (!Docker.isAvailable()) {
                    throw new LocalStackException(PROPERTY + "=containers but no Docker engine answers here; "
                            + "start Docker, or use embedded (or auto) to run the servers without it");
                }
                yield CONTAINERS;
            }
        };
    }
}
