package io.tuneforge.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.messaging.OutboxRelay;
import io.tuneforge.registry.persistence.DatabaseSchema;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionRepository;
import io.tuneforge.registry.persistence.ModelVersionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Ends the registration of pending model versions: checks each one's artifact in the store ({@link ArtifactCheck})
 * outside any transaction, then marks it READY or FAILED_REGISTRATION and emits ModelVersionRegistered. A store that
 * does not answer leaves the version pending, with the reason in its status message, and it is tried again every
 * {@code tuneforge.registry.registration.retry-interval}. {@link #nudge()} checks right after a TrainingCompleted.
 */
@ApplicationScoped
public class VersionRegistrar {

    private static final Logger LOG = Logger.getLogger(VersionRegistrar.class);
    private static final int BATCH = 50;

    private final ModelVersionRepository versions;
    private final ModelRegistry registry;
    private final ArtifactCheck artifacts;
    private final OutboxRelay relay;
    private final DatabaseSchema schema;
    private final RegistryConfig config;
    private final Event<RegistryChanged> changes;
    private final BackgroundWorker worker = new BackgroundWorker("registry-version-registrar", this::checkQuietly);

    public VersionRegistrar(ModelVersionRepository versions, ModelRegistry registry, ArtifactCheck artifacts,
                            OutboxRelay relay, DatabaseSchema schema, RegistryConfig config,
                            Event<RegistryChanged> changes) {
        this.versions = versions;
        this.registry = registry;
        this.artifacts = artifacts;
        this.relay = relay;
        this.schema = schema;
        this.config = config;
        this.changes = changes;
    }

    void onStart(@Observes StartupEvent event) {
        worker.start(config.registration().retryInterval());
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** Checks the pending versions soon, on the registrar's thread. */
    public void nudge() {
        worker.nudge();
    }

    /**
     * Checks every pending version once.
     *
     * @return how many left the pending state
     */
    public synchronized int checkPending() {
        if (!schema.isReady()) {
            return 0;
        }
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> versions.pendingIds(BATCH));
        int finished = 0;
        for (Long id : ids) {
            ModelVersionEntity v = QuarkusTransaction.requiringNew().call(() -> versions.findById(id));
            if (v == null || v.status != ModelVersionStatus.PENDING_REGISTRATION) {
                continue;
            }
            ArtifactCheck.Outcome outcome = artifacts.check(v.sourceUri, v.sourceKind);
            if (outcome.status() == ModelVersionStatus.PENDING_REGISTRATION) {
                registry.stillPending(id, outcome.message());
                LOG.debugf("%s version %d still pending: %s", v.modelName, v.version, outcome.message());
                continue;
            }
            if (registry.finishRegistration(id, outcome.status(), outcome.message())) {
                finished++;
                LOG.infof("%s version %d is %s: %s", v.modelName, v.version, outcome.status(), outcome.message());
                changes.fire(new RegistryChanged(v.runId, null));
            }
        }
        if (finished > 0) {
            relay.nudge();
        }
        return finished;
    }

    private void checkQuietly() {
        try {
            checkPending();
        } catch (RuntimeException e) {
            LOG.warnf("Checking pending model versions failed (%s: %s); retrying in %s", e.getClass().getSimpleName(),
                    e.getMessage(), config.registration().retryInterval());
        }
    }
}
