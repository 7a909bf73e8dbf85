package io.tuneforge.registry.health;

import io.smallrye.health.api.HealthGroup;
import io.tuneforge.servicekit.health.ObjectStoreHealthCheck;
import io.tuneforge.servicekit.storage.ArtifactStoreProducer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The object store's status at {@code /q/health/group/object-store}, outside readiness: the registry serves its
 * pages and API without the store, and only downloads, evaluation samples and artifact checks wait for it. The
 * check itself is service-kit's (bucket reachable, reason when not), used here as a plain object.
 */
@HealthGroup(ObjectStoreStatusCheck.GROUP)
@ApplicationScoped
public class ObjectStoreStatusCheck implements HealthCheck {

    public static final String GROUP = "object-store";

    private final ObjectStoreHealthCheck delegate;

    public ObjectStoreStatusCheck(ArtifactStoreProducer stores) {
        this.delegate = new ObjectStoreHealthCheck(stores);
    }

    @Override
    public HealthCheckResponse call() {
        return delegate.call();
    }
}
