package io.tuneforge.data.service;

import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.messaging.DatasetEventPublisher;
import io.tuneforge.data.storage.DatasetKeys;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.storage.Sha256;
import io.tuneforge.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepares a new dataset version from an object already in the store ({@code DatasetImportRequested}): checks the
 * command (dataset id usable as a key, source an {@code s3://} URI of an existing object, valid settings), runs the
 * pipeline on the object's bytes, and answers with {@code DatasetPrepared} — or {@code DatasetRejected} with the
 * reason ({@code EMPTY_INPUT: ...}) and the bad fields, in which case nothing was published.
 *
 * <p>Idempotent across restarts too: after the version is committed and before the event is sent, the event is
 * stored as {@code datasets/{id}/imports/{eventId}.json}; the same command delivered again sends that event again
 * instead of preparing a second version. (A crash between the commit and that write still yields a second version
 * on redelivery.)
 */
@ApplicationScoped
public class DatasetImport {

    private static final Logger LOG = Logger.getLogger(DatasetImport.class);
    static final String SOURCE = "import";

    private final BucketStores buckets;
    private final ArtifactStore store;
    private final DatasetEventPublisher events;
    private final PipelineSettingsResolver settings;
    private final PreparationJobs jobs;
    private final DatasetPreparation preparation;

    public DatasetImport(BucketStores buckets, ArtifactStore store, DatasetEventPublisher events,
            PipelineSettingsResolver settings, PreparationJobs jobs, DatasetPreparation preparation) {
        this.buckets = buckets;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.jobs = jobs;
        this.preparation = preparation;
    }

    public void handle(String eventId, DatasetImportRequested command) {
        List<FieldError> errors = new ArrayList<>();
        if (!ObjectKeys.isValidId(command.datasetId())) {
            errors.add(new FieldError("datasetId", "expected " + ObjectKeys.ID_RULE + ", got '" + command.datasetId()
                    + "'"));
        }
        S3Uri source = null;
        try {
            source = S3Uri.parse(command.sourceUri());
            if (source.isPrefix()) {
                errors.add(new FieldError("sourceUri", "expected the URI of one file (JSONL, JSON array or CSV), got"
                        + " the prefix '" + command.sourceUri() + "'"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("sourceUri", e.getMessage()));
        }
        if (!errors.isEmpty()) {
            reject(command, "The import command has " + errors.size() + " invalid field"
                    + (errors.size() == 1 ? "" : "s") + "; fix " + String.join(", ",
                    errors.stream().map(FieldError::path).toList()) + " and send it again.", errors);
            return;
        }
        String marker = DatasetKeys.importMarker(command.datasetId(), eventKey(eventId));
        try {
            Optional<DatasetPrepared> done = previous(marker);
            if (done.isPresent()) {
                LOG.infof("Import event %s already produced dataset %s v%d; sending its DatasetPrepared again",
                        eventId, done.get().datasetId(), done.get().version());
                preparation.publish(done.get());
                return;
            }
        } catch (StorageException e) {
            reject(command, "The object store could not be read: " + e.getMessage() + ". Send the import again"
                    + " once /q/health/ready reports the object store UP.", List.of());
            return;
        }
        PipelineSettings pipelineSettings;
        try {
            pipelineSettings = settings.resolve(command.datasetId(), command.settings());
        } catch (InvalidSettingsException e) {
            reject(command, PipelineException.Code.INVALID_SETTINGS + ": " + e.getMessage(),
                    e.errors().stream().map(f -> new FieldError("settings." + f.path(), f.reason())).toList());
            return;
        }
        ArtifactStore sourceStore = buckets.forBucket(source.bucket());
        Optional<ObjectInfo> info;
        try {
            info = sourceStore.stat(source.key());
        } catch (StorageException e) {
            reject(command, "The source " + source + " could not be read: " + e.getMessage()
                    + ". Send the import again once /q/health/ready reports the object store UP.", List.of());
            return;
        }
        if (info.isEmpty()) {
            reject(command, "The source " + source + " does not exist. Upload the file first (tuneforge datasets"
                    + " upload, or any S3 client) and send the import with its s3:// URI.",
                    List.of(new FieldError("sourceUri", "no object at " + source)));
            return;
        }
        run(command, source, sourceStore, info.get(), pipelineSettings, marker);
    }

    private void run(DatasetImportRequested command, S3Uri source, ArtifactStore sourceStore, ObjectInfo info,
            PipelineSettings pipelineSettings, String marker) {
        PreparationJob job = jobs.start(null, command.datasetId(), SOURCE, source.toString(), info.size());
        LOG.infof("Job %s: importing %s (%d bytes) as a new version of dataset %s", job.jobId(), source, info.size(),
                command.datasetId());
        try {
            DatasetInput input = new DatasetInput(source.toString(), sourceStore.get(source.key()), info.size());
            preparation.prepare(job, input, pipelineSettings, SOURCE, event -> remember(marker, event));
        } catch (PipelineException e) {
            String field = e.code() == PipelineException.Code.INVALID_SETTINGS ? "settings" : "sourceUri";
            reject(command, e.code() + ": " + e.getMessage(), List.of(new FieldError(field, e.getMessage())));
        } catch (NoSuchObjectException e) {
            if (job.running()) {
                jobs.failed(job, PipelineException.Code.IO_ERROR.name(), e.getMessage());
            }
            reject(command, "The source " + source + " disappeared before it could be read: " + e.getMessage(),
                    List.of(new FieldError("sourceUri", "no object at " + source)));
        } catch (OutOfMemoryError e) {
            reject(command, "OUT_OF_MEMORY: " + DatasetPreparation.outOfMemory(job), List.of());
        } catch (StorageException e) {
            if (job.running()) {
                jobs.failed(job, PipelineException.Code.IO_ERROR.name(), e.getMessage());
            }
            reject(command, "IO_ERROR: " + e.getMessage() + ". Send the import again once /q/health/ready reports"
                    + " the object store UP.", List.of());
        }
    }

    /** Best effort: without the marker, a redelivery after a restart prepares the import a second time. */
    private void remember(String marker, DatasetPrepared event) {
        try {
            store.putJson(marker, event);
        } catch (StorageException e) {
            LOG.warnf("Could not record %s (%s): a redelivered import event would prepare dataset %s again",
                    store.uri(marker), e.getMessage(), event.datasetId());
        }
    }

    private Optional<DatasetPrepared> previous(String marker) {
        if (!store.exists(marker)) {
            return Optional.empty();
        }
        return Optional.of(store.getJson(marker, DatasetPrepared.class));
    }

    /** The event id as one key segment: itself when it is a valid id (UUIDs, topic-partition-offset), else a hash. */
    static String eventKey(String eventId) {
        return ObjectKeys.isValidId(eventId) ? eventId
                : "sha256-" + Sha256.of(eventId.getBytes(StandardCharsets.UTF_8));
    }

    private void reject(DatasetImportRequested command, String reason, List<FieldError> errors) {
        events.publish(new DatasetRejected(1, command.datasetId(), command.sourceUri(), reason, errors));
        LOG.infof("Import of %s as dataset %s rejected: %s", command.sourceUri(), command.datasetId(), reason);
    }
}
