package io.tuneforge.registry.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.tuneforge.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Brings the PostgreSQL schema up to date (Flyway, {@code db/migration}) and only then lets the event consumers
 * run. A database that is not there at start does not stop the service: the failure is logged once, readiness
 * ({@code /q/health/ready}, check "Registry schema") reports it DOWN with the reason, and the migration is retried
 * every {@code tuneforge.registry.schema.retry-interval} until it succeeds. The consumer channels are
 * {@code initially-paused}, so no event is taken (and none dead-lettered) before the tables exist.
 */
@ApplicationScoped
public class DatabaseSchema {

    /** The consumer channels that wait for the schema. */
    public static final List<String> CHANNELS = List.of("training-events", "dataset-events", "evaluation-events",
            "augmentation-events");

    private static final Logger LOG = Logger.getLogger(DatabaseSchema.class);

    private final Flyway flyway;
    private final ChannelRegistry channels;
    private final RegistryConfig config;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-schema-migration");
        t.setDaemon(true);
        return t;
    });
    private volatile String version;
    private volatile String problem = "not migrated yet";

    public DatabaseSchema(Flyway flyway, ChannelRegistry channels, RegistryConfig config) {
        this.flyway = flyway;
        this.channels = channels;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!migrate()) {
            long seconds = Math.max(1, config.schema().retryInterval().toSeconds());
            retries.scheduleWithFixedDelay(() -> {
                if (migrate()) {
                    retries.shutdown();
                }
            }, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        retries.shutdownNow();
    }

    /** True once the schema is current and the consumers run. */
    public boolean isReady() {
        return version != null;
    }

    /** The schema version once migrated, else null. */
    public String version() {
        return version;
    }

    /** Why the schema is not ready (null once it is). */
    public String problem() {
        return isReady() ? null : problem;
    }

    synchronized boolean migrate() {
        if (isReady()) {
            return true;
        }
        try {
            MigrateResult result = flyway.migrate();
            MigrationInfo current = flyway.info().current();
            version = current == null ? "empty" : current.getVersion().getVersion();
            LOG.infof("Registry schema at version %s (%d migration(s) applied now); consuming events", version,
                    result.migrationsExecuted);
            CHANNELS.forEach(this::resume);
            return true;
        } catch (RuntimeException e) {
            String reason = rootMessage(e);
            if (!reason.equals(problem)) {
                LOG.warnf("Registry schema not migrated: %s. Events wait; retrying every %d s (see /q/health/ready)",
                        reason, Math.max(1, config.schema().retryInterval().toSeconds()));
            }
            problem = reason;
            return false;
        }
    }

    private void resume(String channel) {
        PausableChannel pausable = channels.getPausable(channel);
        if (pausable == null) {
            throw new IllegalStateException("Channel '" + channel + "' is not pausable; set mp.messaging.incoming."
                    + channel + ".pausable=true and initially-paused=true");
        }
        pausable.resume();
    }

    /** The first line of the message (Flyway's goes on with SQL-state tables), else of the root cause's. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message).trim();
    }
}
