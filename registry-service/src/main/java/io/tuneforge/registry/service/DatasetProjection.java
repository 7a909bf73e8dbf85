package io.tuneforge.registry.service;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.registry.persistence.DatasetVersionEntity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;

/** Registers the dataset versions announced by DatasetPrepared events; runs inside the caller's transaction. */
@ApplicationScoped
public class DatasetProjection {

    private static final Logger LOG = Logger.getLogger(DatasetProjection.class);

    private final DatasetVersionRepository versions;

    public DatasetProjection(DatasetVersionRepository versions) {
        this.versions = versions;
    }

    /**
     * Registers the version unless it already is. Versions are immutable: a second announcement of the same
     * {@code (datasetId, version)} under another event id leaves the first one in place.
     *
     * @return true when a new version was registered
     */
    public boolean apply(EventEnvelope<DatasetPrepared> event) {
        DatasetPrepared prepared = event.data();
        Optional<DatasetVersionEntity> existing = versions.findVersion(prepared.datasetId(), prepared.version());
        if (existing.isPresent()) {
            LOG.warnf("Dataset %s version %d was already registered by event %s; event %s announces it again"
                            + " and is ignored (versions are immutable)", prepared.datasetId(), prepared.version(),
                    existing.get().eventId, event.id());
            return false;
        }
        DatasetVersionEntity v = new DatasetVersionEntity();
        v.datasetId = prepared.datasetId();
        v.version = prepared.version();
        v.format = prepared.format() == null ? null : prepared.format().wireName();
        v.counts = Json.write(prepared.counts() == null ? Map.of() : prepared.counts());
        v.manifestUri = uri(prepared.manifest());
        v.trainUri = uri(prepared.train());
        v.evalUri = uri(prepared.eval());
        v.rejectedUri = uri(prepared.rejected());
        v.source = prepared.source();
        if (prepared.parent() != null) {
            v.parentDatasetId = prepared.parent().datasetId();
            v.parentVersion = prepared.parent().version();
        }
        v.eventId = event.id();
        v.createdAt = event.time();
        versions.persist(v);
        return true;
    }

    private static String uri(ArtifactRef ref) {
        return ref == null ? null : ref.uri();
    }
}
