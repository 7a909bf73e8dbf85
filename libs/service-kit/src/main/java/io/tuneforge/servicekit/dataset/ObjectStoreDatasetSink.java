package io.tuneforge.servicekit.dataset;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.sink.DatasetSink;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.StorageException;
import org.jboss.logging.Logger;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A dataset version in the object store, {@code datasets/{id}/v{n}/}, all or nothing. data-service (uploads, imports)
 * and augment-service (augmented versions) both write versions through this one sink, so the two can never take the
 * same number or publish a version by different rules.
 *
 * <ol>
 *   <li>The first {@link #create} claims the next version number ({@link VersionAllocator}); an input refused before
 *       any file is created (empty, unknown format) never touches the store.</li>
 *   <li>Each file is spooled to a local temporary file (the pipeline writes rejected.jsonl during its first pass and
 *       train/eval during its second, so memory stays bounded whatever the size) and uploaded to its final key when
 *       the pipeline closes it — multipart above 16 MiB, with its SHA-256 recorded — then the local copy is
 *       deleted. Until the manifest exists, readers ignore the version.</li>
 *   <li>{@link #commit} uploads manifest.json last, then removes the claim: the version is published.</li>
 *   <li>{@link #abort} removes what was uploaded (the manifest first, should it exist), then the claim, so the number
 *       is free again; if a removal fails the claim stays and the number is skipped.</li>
 * </ol>
 * One sink serves one pipeline run, on one thread.
 */
public final class ObjectStoreDatasetSink implements DatasetSink {

    private static final Logger LOG = Logger.getLogger(ObjectStoreDatasetSink.class);
    private static final int BUFFER = 1 << 16;

    /** The files of a version, in the order readers should see them; the manifest is always the last. */
    public static final List<String> FILES = List.of(ObjectKeys.TRAIN_FILE, ObjectKeys.EVAL_FILE,
            ObjectKeys.REJECTED_FILE, ObjectKeys.MANIFEST_FILE);

    private enum State { OPEN, COMMITTED, ABORTED }

    private final ArtifactStore store;
    private final VersionAllocator allocator;
    private final String datasetId;
    private final Path tempRoot;
    private final Set<String> created = new LinkedHashSet<>();
    private final Set<String> open = new HashSet<>();
    private final List<String> written = new ArrayList<>();
    private final Map<String, ObjectInfo> uploaded = new LinkedHashMap<>();
    private VersionClaim claim;
    private Path spool;
    private Path manifest;
    private State state = State.OPEN;

    /**
     * @param tempRoot where files are spooled before upload (created when missing)
     */
    public ObjectStoreDatasetSink(ArtifactStore store, VersionAllocator allocator, String datasetId, Path tempRoot) {
        this.store = store;
        this.allocator = allocator;
        this.datasetId = ObjectKeys.requireId("dataset id", datasetId);
        this.tempRoot = tempRoot;
    }

    @Override
    public OutputStream create(String fileName) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("this sink was already " + state.name().toLowerCase() + "; use a new one");
        }
        if (!FILES.contains(fileName)) {
            throw new IllegalArgumentException("'" + fileName + "' is not a file of a dataset version; expected one of "
                    + FILES);
        }
        if (!created.add(fileName)) {
            throw new IllegalStateException(fileName + " was already created in this sink");
        }
        if (claim == null) {
            Files.createDirectories(tempRoot);
            spool = Files.createTempDirectory(tempRoot, "sink-" + datasetId + "-");
            try {
                claim = allocator.claim(datasetId);
            } catch (StorageException | VersionClaimException e) {
                throw new IOException("cannot claim a new version of dataset '" + datasetId + "': " + e.getMessage(), e);
            }
            LOG.infof("Writing %s", describe());
        }
        Path file = spool.resolve(fileName);
        open.add(fileName);
        return new SpooledFile(fileName, file, new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
    }

    /** Uploads a closed data file to its final key and drops the local copy. */
    private void closed(String fileName, Path file) throws IOException {
        open.remove(fileName);
        if (ObjectKeys.MANIFEST_FILE.equals(fileName)) {
            manifest = file;
            return;
        }
        upload(fileName, file);
    }

    private void upload(String fileName, Path file) throws IOException {
        String key = ObjectKeys.datasetFile(datasetId, claim.version(), fileName);
        written.add(key);
        try {
            uploaded.put(fileName, store.put(key, file));
        } catch (StorageException e) {
            throw new IOException("cannot upload " + fileName + " to " + store.uri(key) + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void commit() throws IOException {
        if (state != State.OPEN || claim == null) {
            throw new IllegalStateException(claim == null ? "nothing to commit: no file was created"
                    : "this sink was already " + state.name().toLowerCase());
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("close " + open + " before the commit");
        }
        if (manifest == null) {
            throw new IllegalStateException("no " + ObjectKeys.MANIFEST_FILE + " was written; a version without one"
                    + " would never become visible");
        }
        upload(ObjectKeys.MANIFEST_FILE, manifest);
        state = State.COMMITTED;
        claim.release();
        deleteSpool();
        LOG.infof("Published %s (%s)", describe(), String.join(", ", uploaded.keySet()));
    }

    /** Removes what was uploaded; a no-op after a successful {@link #commit} (a published version stays). */
    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        boolean clean = true;
        List<String> doomed = new ArrayList<>(written);
        doomed.sort(Comparator.comparing(k -> !k.endsWith("/" + ObjectKeys.MANIFEST_FILE)));
        for (String key : doomed) {
            try {
                store.delete(key);
            } catch (StorageException e) {
                clean = false;
                LOG.warnf("Could not remove %s after an aborted run: %s", store.uri(key), e.getMessage());
            }
        }
        if (claim != null) {
            if (clean) {
                claim.release();
            }
            LOG.infof("Aborted %s: %d uploaded file(s) removed%s", describe(), doomed.size(),
                    clean ? "" : "; the claim stays, so the number is skipped");
        }
        try {
            deleteSpool();
        } catch (IOException e) {
            LOG.warnf("Could not remove the spool directory %s: %s", spool, e.getMessage());
        }
    }

    @Override
    public String describe() {
        return claim == null ? store.uri(ObjectKeys.datasetPrefix(datasetId)) + " (no version claimed yet)"
                : store.uri(claim.prefix()).toString();
    }

    /** The claimed version number; 0 before the first {@link #create}. */
    public int version() {
        return claim == null ? 0 : claim.version();
    }

    /** The uploaded files by name (size and SHA-256 as the store recorded them); complete after {@link #commit}. */
    public Map<String, ObjectInfo> uploaded() {
        return Collections.unmodifiableMap(uploaded);
    }

    private void deleteSpool() throws IOException {
        if (spool == null || !Files.exists(spool)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(spool)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A local file that is uploaded when it is closed. */
    private final class SpooledFile extends FilterOutputStream {

        private final String fileName;
        private final Path file;
        private boolean closed;

        SpooledFile(String fileName, Path file, OutputStream out) {
            super(out);
            this.fileName = fileName;
            this.file = file;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            super.close();
            closed(fileName, file);
        }
    }
}
