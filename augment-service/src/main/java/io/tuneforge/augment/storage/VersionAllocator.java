package io.tuneforge.augment.storage;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.StorageException;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a new version of a dataset its number, by the same protocol as data-service's allocator, so that an upload
 * and an augmentation of the same dataset never take the same number:
 * <ol>
 *   <li>n = the highest version number any object under {@code datasets/{id}/} uses (file, manifest or claim) + 1;</li>
 *   <li>write {@code datasets/{id}/v{n}/.claim-{random token}};</li>
 *   <li>list {@code datasets/{id}/v{n}/}: only our claim there → n is ours; anything else → remove our claim, wait
 *       a few random milliseconds, start again.</li>
 * </ol>
 * Two writers never both win n on a store with read-after-write consistent listings (S3 since 2020, MinIO, S3Proxy
 * over a file system). A writer that dies between claim and commit leaves a number that later writers skip.
 */
public final class VersionAllocator {

    static final String CLAIM_PREFIX = ".claim-";

    private static final Logger LOG = Logger.getLogger(VersionAllocator.class);
    private static final Pattern VERSION_KEY = Pattern.compile("v([1-9][0-9]{0,8})/.+");

    private final ArtifactStore store;
    private final int attempts;
    private final ReentrantLock lock = new ReentrantLock();
    private final String holder = ManagementFactory.getRuntimeMXBean().getName();

    public VersionAllocator(ArtifactStore store, int attempts) {
        this.store = store;
        this.attempts = Math.max(1, attempts);
    }

    /** The highest version number any object under {@code datasets/{id}/} uses; 0 when none. */
    public int highestUsedVersion(String datasetId) {
        String prefix = ObjectKeys.datasetPrefix(datasetId);
        int highest = 0;
        for (ObjectInfo o : store.list(prefix, true)) {
            Matcher m = VERSION_KEY.matcher(o.key().substring(Math.min(prefix.length(), o.key().length())));
            if (o.key().startsWith(prefix) && m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return highest;
    }

    /**
     * Claims the next version number of {@code datasetId}.
     *
     * @throws StorageException when the store fails, or after {@code attempts} lost rounds
     */
    public VersionClaim claim(String datasetId) {
        ObjectKeys.requireId("dataset id", datasetId);
        lock.lock();
        try {
            int tried = 0;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int version = highestUsedVersion(datasetId) + 1;
                tried = version;
                String token = UUID.randomUUID().toString();
                String key = ObjectKeys.datasetVersionPrefix(datasetId, version) + CLAIM_PREFIX + token;
                store.putJson(key, body(datasetId, version, token));
                List<ObjectInfo> others = store.list(ObjectKeys.datasetVersionPrefix(datasetId, version), true)
                        .stream().filter(o -> !o.key().equals(key)).toList();
                if (others.isEmpty()) {
                    return new VersionClaim(store, datasetId, version, key);
                }
                store.delete(key);
                LOG.infof("Version %d of dataset %s was claimed at the same time by another writer (%s); trying again",
                        version, datasetId, others.get(0).key());
                pause(attempt);
            }
            throw new StorageException("claim", store.bucket(), ObjectKeys.datasetPrefix(datasetId),
                    "could not claim a version in " + attempts + " attempts (last tried v" + tried + "): other"
                            + " writers kept claiming the same numbers; send the job again", null);
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Object> body(String datasetId, int version, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasetId", datasetId);
        body.put("version", version);
        body.put("token", token);
        body.put("holder", holder);
        body.put("writer", "augment-service");
        body.put("claimedAt", Instant.now().toString());
        return body;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while claiming a dataset version", e);
        }
    }
}
