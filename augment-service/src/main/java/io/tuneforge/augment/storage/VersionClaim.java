package io.tuneforge.augment.storage;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageException;
import org.jboss.logging.Logger;

/**
 * Version {@code version} of a dataset belongs to this writer until {@link #release()}: its claim object
 * {@code datasets/{id}/v{n}/.claim-{token}} is in the store (see {@link VersionAllocator}).
 */
public final class VersionClaim {

    private static final Logger LOG = Logger.getLogger(VersionClaim.class);

    private final ArtifactStore store;
    private final String datasetId;
    private final int version;
    private final String key;
    private boolean released;

    VersionClaim(ArtifactStore store, String datasetId, int version, String key) {
        this.store = store;
        this.datasetId = datasetId;
        this.version = version;
        this.key = key;
    }

    public String datasetId() {
        return datasetId;
    }

    public int version() {
        return version;
    }

    /** {@code datasets/{id}/v{n}/}. */
    public String prefix() {
        return ObjectKeys.datasetVersionPrefix(datasetId, version);
    }

    /**
     * Removes the claim object, after a commit (the manifest now marks the number as taken) or after an abort whose
     * files were removed (the number is free again). Never throws: a claim left behind only makes later writers skip
     * the number.
     */
    public void release() {
        if (released) {
            return;
        }
        try {
            store.delete(key);
            released = true;
        } catch (StorageException e) {
            LOG.warnf("Could not remove the claim %s (%s); version %d of dataset %s stays reserved and later versions"
                    + " skip that number", store.uri(key), e.getMessage(), version, datasetId);
        }
    }

    @Override
    public String toString() {
        return datasetId + "/v" + version + " (" + key + ")";
    }
}
