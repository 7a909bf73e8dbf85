package io.tuneforge.data.service;

import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.messaging.DatasetEventPublisher;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.DatasetPipeline;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineResult;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.sink.WrittenFile;
import io.tuneforge.servicekit.dataset.ObjectStoreDatasetSink;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the dataset pipeline of {@code libs/dataprep} into the object store ({@link ObjectStoreDatasetSink}) and
 * announces the new version with {@code DatasetPrepared} (key = dataset id). Uploads and imports both come through here. A run
 * that fails publishes nothing: the sink removes what it wrote.
 */
@ApplicationScoped
public class DatasetPreparation {

    private static final Logger LOG = Logger.getLogger(DatasetPreparation.class);

    private final ArtifactStore store;
    private final VersionAllocator allocator;
    private final PipelineSettingsResolver settings;
    private final PreparationJobs jobs;
    private final DatasetEventPublisher events;

    public DatasetPreparation(ArtifactStore store, VersionAllocator allocator, PipelineSettingsResolver settings,
            PreparationJobs jobs, DatasetEventPublisher events) {
        this.store = store;
        this.allocator = allocator;
        this.settings = settings;
        this.jobs = jobs;
        this.events = events;
    }

    /**
     * Prepares a new version of {@code datasetId} from {@code input} (closed at the end) and publishes DatasetPrepared.
     *
     * @param source        {@code upload} or {@code import}, for the event and the job
     * @param beforePublish called with the event after the version is committed and before the event is sent (the
     *                      import records it there for idempotency); may be null
     * @throws PipelineException when no version was produced (nothing was published); the job is marked failed
     */
    public PreparedVersion prepare(PreparationJob job, DatasetInput input, PipelineSettings pipelineSettings,
            String source, Consumer<DatasetPrepared> beforePublish) throws PipelineException {
        String datasetId = job.datasetId();
        ObjectStoreDatasetSink sink = new ObjectStoreDatasetSink(store, allocator, datasetId,
                settings.tempDir().resolve("spool"));
        PipelineResult result;
        try {
            result = new DatasetPipeline(pipelineSettings).run(input, sink, p -> {
                job.version(sink.version());
                job.onProgress(p);
            });
        } catch (PipelineException e) {
            jobs.failed(job, e.code().name(), e.getMessage());
            LOG.infof("Job %s: no version of dataset %s from %s: %s %s", job.jobId(), datasetId, input.name(),
                    e.code(), e.getMessage());
            throw e;
        } catch (OutOfMemoryError e) {
            jobs.failed(job, "OUT_OF_MEMORY", outOfMemory(job));
            throw e;
        } catch (RuntimeException | Error e) {
            jobs.failed(job, PipelineException.Code.IO_ERROR.name(), String.valueOf(e.getMessage()));
            throw e;
        }
        int version = sink.version();
        Map<String, VersionFile> files = new LinkedHashMap<>();
        for (Map.Entry<String, ObjectInfo> e : sink.uploaded().entrySet()) {
            WrittenFile written = result.files().get(e.getKey());
            ObjectInfo info = e.getValue();
            if (written != null && !written.sha256().equals(info.sha256())) {
                LOG.errorf("%s: the pipeline wrote sha256 %s but the store recorded %s", store.uri(info.key()),
                        written.sha256(), info.sha256());
            }
            files.put(e.getKey(), new VersionFile(store.uri(info.key()).toString(), info.sha256(), info.size(),
                    written == null ? 0 : written.lines()));
        }
        DatasetPrepared event = new DatasetPrepared(1, datasetId, version, result.outputFormat(),
                ref(files.get(ObjectKeys.TRAIN_FILE)), ref(files.get(ObjectKeys.EVAL_FILE)),
                ref(files.get(ObjectKeys.REJECTED_FILE)), ref(files.get(ObjectKeys.MANIFEST_FILE)), result.counts(),
                pipelineSettings.parent(), source);
        jobs.succeeded(job, version);
        if (beforePublish != null) {
            beforePublish.accept(event);
        }
        boolean published = publish(event);
        LOG.infof("Job %s: dataset %s v%d published from %s (%s): %s", job.jobId(), datasetId, version, input.name(),
                source, result.counts());
        return new PreparedVersion(datasetId, version, result.outputFormat(), result.manifest().get("detection"),
                source, job.jobId(), result.counts(), result.manifest().get("rejectedByReason"), files,
                files.get(ObjectKeys.MANIFEST_FILE).uri(), pipelineSettings.parent(), published);
    }

    /** What an out-of-memory failure means here, in words a person can act on. */
    static String outOfMemory(PreparationJob job) {
        JobView v = job.view();
        return "the pipeline ran out of heap after " + v.records() + " records (" + v.kept() + " kept): its dedup and"
                + " split index grows with the kept records (about 700 MB of heap per million kept records with near dedup);"
                + " give the service more heap (-Xmx), upload in parts, or set nearDedup=false. Nothing was published";
    }

    /** Sends DatasetPrepared again (an import redelivered after its version was committed). */
    public boolean publish(DatasetPrepared event) {
        try {
            events.publish(event);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("Dataset %s v%d is published in the store, but DatasetPrepared could not be sent: %s",
                    event.datasetId(), event.version(), e.getMessage());
            return false;
        }
    }

    private static ArtifactRef ref(VersionFile file) {
        return file == null ? null : new ArtifactRef(file.uri(), file.sha256(), file.sizeBytes());
    }
}
