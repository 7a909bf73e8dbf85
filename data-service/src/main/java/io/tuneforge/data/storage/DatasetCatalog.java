package io.tuneforge.data.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.ObjectInfo;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the store holds under {@code datasets/}. A version is <b>published</b> once its {@code manifest.json} exists
 * (it is written last); a version directory without one is being written, or was left by a writer that died, and is
 * invisible to readers. Listings read the store every time: there is no cache to go stale between replicas.
 */
@ApplicationScoped
public class DatasetCatalog {

    private static final String DATASETS = "datasets/";

    private final ArtifactStore store;

    public DatasetCatalog(ArtifactStore store) {
        this.store = store;
    }

    public ArtifactStore store() {
        return store;
    }

    /** Dataset ids with at least one object under {@code datasets/{id}/}, in key order (published or not). */
    public List<String> datasetIds() {
        List<String> ids = new ArrayList<>();
        for (ObjectInfo o : store.list(DATASETS, false)) {
            if (o.isPrefix()) {
                String id = o.key().substring(DATASETS.length(), o.key().length() - 1);
                if (ObjectKeys.isValidId(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Every object under {@code datasets/{id}/v{n}/} by version number (claims included). */
    public SortedMap<Integer, List<ObjectInfo>> objectsByVersion(String datasetId) {
        String prefix = ObjectKeys.datasetPrefix(datasetId);
        SortedMap<Integer, List<ObjectInfo>> versions = new TreeMap<>();
        for (ObjectInfo o : store.list(prefix, true)) {
            OptionalInt v = DatasetKeys.versionOf(prefix, o.key());
            if (v.isPresent()) {
                versions.computeIfAbsent(v.getAsInt(), k -> new ArrayList<>()).add(o);
            }
        }
        return versions;
    }

    /** Published versions (with a manifest), ascending. */
    public List<Integer> publishedVersions(String datasetId) {
        String prefix = ObjectKeys.datasetPrefix(datasetId);
        List<Integer> published = new ArrayList<>();
        objectsByVersion(datasetId).forEach((version, objects) -> {
            if (objects.stream().anyMatch(o -> ObjectKeys.MANIFEST_FILE.equals(DatasetKeys.fileOf(prefix, o.key())))) {
                published.add(version);
            }
        });
        return published;
    }

    /** The manifest of a published version, or empty when the version is not published. */
    public Optional<ObjectNode> manifest(String datasetId, int version) {
        try {
            return Optional.of(store.getJson(ObjectKeys.datasetManifest(datasetId, version), ObjectNode.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** Whether the version's manifest exists. */
    public boolean isPublished(String datasetId, int version) {
        return store.exists(ObjectKeys.datasetManifest(datasetId, version));
    }
}
