package io.tuneforge.servicekit.storage;

import io.quarkus.runtime.StartupEvent;
import io.tuneforge.contracts.Json;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Produces the service's {@link ArtifactStore} from {@code tuneforge.storage.*} (JSON through the contracts mapper)
 * and makes sure its bucket exists at start. An object store that is down or misconfigured at start does not stop
 * the service: it is logged once, and {@code /q/health/ready} reports it DOWN with the reason until it is back.
 * The secret key is never logged ({@link StorageSettings#toString()} masks it).
 */
@ApplicationScoped
public class ArtifactStoreProducer {

    private static final Logger LOG = Logger.getLogger(ArtifactStoreProducer.class);

    private final StorageConfig config;
    private volatile ArtifactStore store;

    public ArtifactStoreProducer(StorageConfig config) {
        this.config = config;
    }

    /**
     * The store. A {@code @Singleton}: {@link ArtifactStore} is final and needs no client proxy.
     *
     * @throws IllegalArgumentException when a {@code tuneforge.storage.*} key is missing or malformed, naming it
     */
    @Produces
    @Singleton
    public ArtifactStore artifactStore() {
        return store();
    }

    /** The same store, created on first use. */
    public ArtifactStore store() {
        ArtifactStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    StorageSettings settings = config.toSettings();
                    store = new ArtifactStore(settings, Json.mapper());
                    LOG.infof("Object store: %s", settings);
                }
                s = store;
            }
        }
        return s;
    }

    void ensureBucketOnStart(@Observes StartupEvent event) {
        try {
            ArtifactStore s = store();
            s.ensureBucket();
            LOG.infof("Bucket '%s' ready at %s", s.bucket(), s.settings().endpoint());
        } catch (RuntimeException e) {
            LOG.warnf("Object store not ready at start: %s. Readiness (/q/health/ready) reports it until it is.",
                    e.getMessage());
        }
    }
}
