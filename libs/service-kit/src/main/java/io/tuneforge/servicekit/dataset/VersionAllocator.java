package io.tuneforge.servicekit.dataset;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gives each new version of a dataset its own number: the highest number in use + 1. data-service and
 * augment-service both claim through this class, so an upload and an augmentation of the same dataset running at
 * once never take the same number. One instance per process (its locks are what serialise claims within it).
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Within this replica, allocations for one dataset run one at a time (a lock per dataset id, striped).</li>
 *   <li>n = highest version number any object under {@code datasets/{id}/} uses (manifest, file or claim) + 1.</li>
 *   <li>Write {@code datasets/{id}/v{n}/.claim-{token}}; the token is random, so no writer overwrites another's
 *       claim.</li>
 *   <li>List {@code datasets/{id}/v{n}/}. Only our own claim there: n is ours. Anything else (another claim, a file,
 *       a manifest): we lost; remove our claim, wait a few random milliseconds and start again at 2.</li>
 * </ol>
 * The winner writes its files under {@code v{n}/}, the manifest last, and then removes its claim (the manifest now
 * marks the number as taken). An aborted run removes its files and then its claim, so the number is used again.
 *
 * <h2>Guarantee and its limits</h2>
 * <ul>
 *   <li>Two writers never both win number n, across replicas too, <b>provided the store lists what was written
 *       before the listing started</b> (strong read-after-write consistency for PUT, DELETE and LIST — AWS S3 since
 *       2020, MinIO, and S3Proxy over a file system have it). Proof sketch: the winner W listed after writing its
 *       claim and saw nothing else. A writer X whose claim was written before W's listing had removed it by then,
 *       which X does only after losing. A writer X whose claim was written after W's listing lists later still, sees
 *       W's claim and loses. W's claim stays until W's manifest exists or W's files are gone again.</li>
 *   <li>Two writers that see each other's claims both lose and retry after a random pause; after
 *       {@code attempts} lost rounds the upload fails with an I/O error (nothing written).</li>
 *   <li>A store error during a round (S3Proxy's file-system backend answers 500 to a listing that races a deletion)
 *       withdraws the claim and counts as a lost round.</li>
 *   <li>This does not use S3 conditional writes ({@code If-None-Match: *}): S3Proxy 2.6.0 ignores that header on PUT,
 *       and unique claim keys plus a listing give the same exclusion on every store.</li>
 *   <li>A writer that dies between claiming and committing leaves {@code v{n}/} without a manifest: readers never see
 *       it, and later uploads skip that number (versions then have a gap; numbers are never reused once skipped).
 *       Removing such a directory by hand frees the number.</li>
 *   <li>Numbers follow claim order, not finishing order: of two uploads running at once, v{n+1} may be published
 *       before v{n}.</li>
 * </ul>
 */
public class VersionAllocator {

    static final String CLAIM_PREFIX = ".claim-";
    private static final Pattern VERSION_KEY = Pattern.compile("v([1-9][0-9]{0,8})/.+");

    private static final Logger LOG = Logger.getLogger(VersionAllocator.class);
    private static final int STRIPES = 64;

    private final ArtifactStore store;
    private final int attempts;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final String holder;
    private final String writer;

    /**
     * @param attempts lost rounds before {@link #claim} gives up (at least 1)
     * @param writer   the service that claims, written into the claim object for whoever finds one left behind
     */
    public VersionAllocator(ArtifactStore store, int attempts, String writer) {
        this.store = store;
        this.attempts = Math.max(1, attempts);
        this.writer = writer;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        this.holder = ManagementFactory.getRuntimeMXBean().getName();
    }

    /** The highest version number any object under {@code datasets/{id}/} uses (file, manifest, claim); 0 if none. */
    public int highestUsedVersion(String datasetId) {
        String prefix = ObjectKeys.datasetPrefix(datasetId);
        int highest = 0;
        for (ObjectInfo o : store.list(prefix, true)) {
            if (o.key().startsWith(prefix)) {
                Matcher m = VERSION_KEY.matcher(o.key().substring(prefix.length()));
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return highest;
    }

    /**
     * Claims the next version number of {@code datasetId}.
     *
     * @throws VersionClaimException after {@code attempts} lost rounds
     * @throws io.tuneforge.storage.StorageException when the store does not answer
     */
    public VersionClaim claim(String datasetId) {
        ObjectKeys.requireId("dataset id", datasetId);
        ReentrantLock lock = locks[Math.floorMod(datasetId.hashCode(), STRIPES)];
        lock.lock();
        try {
            int lastTried = 0;
            StorageException lastError = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                String key = null;
                try {
                    int version = highestUsedVersion(datasetId) + 1;
                    lastTried = version;
                    key = ObjectKeys.datasetVersionPrefix(datasetId, version) + CLAIM_PREFIX + UUID.randomUUID();
                    store.putJson(key, claimBody(datasetId, version, key));
                    String ours = key;
                    List<ObjectInfo> others = store.list(ObjectKeys.datasetVersionPrefix(datasetId, version), true)
                            .stream().filter(o -> !o.key().equals(ours)).toList();
                    if (others.isEmpty()) {
                        LOG.debugf("Claimed %s/v%d (attempt %d)", datasetId, version, attempt);
                        return new VersionClaim(store, datasetId, version, key);
                    }
                    store.delete(key);
                    lastError = null;
                    LOG.infof("Version %d of dataset %s was claimed at the same time by another writer (%s); trying"
                            + " again", version, datasetId, others.get(0).key());
                } catch (StorageException e) {
                    // S3Proxy's file system backend answers 500 to a listing that races a deletion: withdraw, retry
                    lastError = e;
                    withdraw(key);
                    LOG.infof("Claiming a version of dataset %s failed (%s); trying again", datasetId,
                            firstLine(e.getMessage()));
                }
                pause(attempt);
            }
            if (lastError != null) {
                throw lastError;
            }
            throw new VersionClaimException("could not claim a version of dataset '" + datasetId + "' in " + attempts
                    + " attempts (last tried v" + lastTried + "): other writers kept claiming the same numbers;"
                    + " send the upload or augmentation again");
        } finally {
            lock.unlock();
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private void withdraw(String key) {
        if (key == null) {
            return;
        }
        try {
            store.delete(key);
        } catch (StorageException e) {
            LOG.warnf("Could not remove the claim %s (%s); that version number will be skipped", key, e.getMessage());
        }
    }

    private Map<String, Object> claimBody(String datasetId, int version, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasetId", datasetId);
        body.put("version", version);
        body.put("claim", key);
        body.put("holder", holder);
        body.put("writer", writer);
        body.put("claimedAt", Instant.now().toString());
        return body;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VersionClaimException("interrupted while claiming a dataset version");
        }
    }
}
