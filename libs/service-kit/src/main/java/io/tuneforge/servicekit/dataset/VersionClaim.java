package io.tuneforge.servicekit.dataset;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageException;
import org.jboss.logging.Logger;

/**
 * Version {@code version} of dataset {@code datasetId} belongs to this writer until {@link #release()}: its claim
 * object {@code datasets/{id}/v{n}/.claim-{token}} is in the store. See {@link VersionAllocator} for the guarantee.
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

    /** The claim object's key. */
    public String key() {
        return key;
    }

    /**
     * Removes the claim object: after a commit (the manifest now marks the number as taken) or after an abort whose
     * files were all removed (the number may be used again). Never throws: a claim left behind only means that this
     * number is skipped by later uploads.
     */
    public void release() {
        if (released) {
            return;
        }
        try {
            store.delete(key);
            released = true;
        } catch (StorageException e) {
            LOG.warnf("Could not remove the claim %s (%s); version %d of dataset %s stays reserved and later uploads"
                    + " skip that number", store.uri(key), e.getMessage(), version, datasetId);
        }
    }

    @Override
    public String toString() {
        return datasetId + "/v" + version + " (" + key + ")";
    }
}
