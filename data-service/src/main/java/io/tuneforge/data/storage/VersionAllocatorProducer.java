package io.tuneforge.data.storage;

import io.tuneforge.data.config.DataServiceConfig;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.storage.ArtifactStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one {@link VersionAllocator} of this process (its per-dataset locks must be shared by every upload and import),
 * with {@code tuneforge.data.claim-attempts}. The allocator itself lives in service-kit, shared with augment-service.
 */
public class VersionAllocatorProducer {

    @Produces
    @Singleton
    VersionAllocator versionAllocator(ArtifactStore store, DataServiceConfig config) {
        return new VersionAllocator(store, config.claimAttempts(), "data-service");
    }
}
