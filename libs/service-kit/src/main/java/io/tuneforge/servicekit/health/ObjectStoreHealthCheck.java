package io.tuneforge.servicekit.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tuneforge.servicekit.storage.ArtifactStoreProducer;
import io.tuneforge.storage.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness of the object store: the bucket is reachable (and created if it was missing, so a store that comes up
 * after the service heals without a restart). DOWN carries the reason: unset credentials, connection refused,
 * access denied, or no answer within {@value #TIMEOUT_SECONDS} s. A service that does not use the object store turns
 * it off at build time with {@code tuneforge.storage.health.enabled=false}.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "tuneforge.storage.health.enabled", stringValue = "true", enableIfMissing = true)
public class ObjectStoreHealthCheck implements HealthCheck {

    public static final String NAME = "Object store";
    static final long TIMEOUT_SECONDS = 5;

    private final ArtifactStoreProducer stores;

    public ObjectStoreHealthCheck(ArtifactStoreProducer stores) {
        this.stores = stores;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        ArtifactStore store;
        try {
            store = stores.store();
        } catch (RuntimeException e) {
            return response.down().withData("reason", e.getMessage()).build();
        }
        response.withData("endpoint", store.settings().endpoint()).withData("bucket", store.bucket());
        CompletableFuture<Void> check = CompletableFuture.runAsync(store::ensureBucket);
        try {
            check.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return response.up().build();
        } catch (TimeoutException e) {
            check.cancel(true);
            return response.down().withData("reason", "no answer from " + store.settings().endpoint() + " within "
                    + TIMEOUT_SECONDS + " s; check tuneforge.storage.endpoint and the network").build();
        } catch (ExecutionException e) {
            return response.down().withData("reason", e.getCause().getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("reason", "interrupted while checking the object store").build();
        }
    }
}
