package io.tuneforge.trainer.training;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.ExportSettings;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.StorageException;
import io.tuneforge.tuning.export.gguf.GgufConverter;
import io.tuneforge.tuning.export.gguf.GgufSummary;
import io.tuneforge.tuning.export.gguf.GgufType;
import io.tuneforge.tuning.export.merged.MergeOptions;
import io.tuneforge.tuning.export.merged.MergedModel;
import io.tuneforge.tuning.export.merged.MergedModelExporter;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The export step of a completed run ({@code request.export}), before {@code TrainingCompleted}:
 *
 * <ol>
 *   <li>{@code merge}: base + adapter merged in f32 ({@link MergedModelExporter}) → {@code runs/{runId}/merged/}
 *       (config.json last). A full fine-tune's {@code model/} already is the whole model: nothing is merged.</li>
 *   <li>{@code gguf}: the merged model (or the full fine-tune's model) converted ({@link GgufConverter}) →
 *       {@code runs/{runId}/export/model-{type}.gguf} with the Ollama {@code Modelfile} beside it (uploaded
 *       first, so a reader that sees the GGUF sees both).</li>
 * </ol>
 *
 * A failure is a {@link RunFailure} (INTERNAL_ERROR) naming the step and where the trained adapter/model is kept;
 * an object store failure stays a {@link StorageException} (INFRASTRUCTURE_ERROR).
 */
public final class RunExport {

    private static final Logger LOG = Logger.getLogger(RunExport.class);

    /**
     * What was published.
     *
     * @param merged the merged model directory, or null
     * @param gguf   the GGUF file (with sha256 and size), or null
     */
    public record Published(ArtifactRef merged, ArtifactRef gguf) {
    }

    private RunExport() {
    }

    /** True when the request asks for a merged model or a GGUF. */
    public static boolean requested(ExportSettings export) {
        return export != null && (Boolean.TRUE.equals(export.merge()) || export.gguf() != null);
    }

    /**
     * Runs the export the request asks for and uploads it.
     *
     * @param baseModel the run's base model directory
     * @param trained   the trained adapter directory, or the full fine-tune's model directory
     * @param adapter   whether {@code trained} is an adapter
     * @param workDir   a scratch directory of this run (created; its contents are left to the run's cleanup)
     * @param kept      where the trained artifact is in the store (for the failure message)
     */
    public static Published run(ArtifactStore store, String runId, ExportSettings export, Path baseModel, Path trained,
                                boolean adapter, Path workDir, String kept) {
        ArtifactRef merged = null;
        ArtifactRef gguf = null;
        String stage = "merge";
        try {
            Files.createDirectories(workDir);
            Path model = adapter ? null : trained;
            if (Boolean.TRUE.equals(export.merge()) && adapter) {
                MergedModel m = MergedModelExporter.export(baseModel, trained, workDir.resolve("merged"),
                        MergeOptions.defaults(), line -> LOG.infof("Run %s export: %s", runId, line));
                store.publish(m.directory(), ObjectKeys.runMerged(runId), "config.json");
                merged = ArtifactRef.prefix(store.uri(ObjectKeys.runMerged(runId)).toString());
                model = m.directory();
                LOG.infof("Run %s: merged model (%d files, %d bytes) published to %s", runId, m.files().size(),
                        m.bytes(), merged.uri());
            }
            if (export.gguf() != null) {
                stage = "GGUF " + export.gguf();
                GgufType type = GgufType.parse(export.gguf());
                String key = ObjectKeys.runGguf(runId, type.label());
                Path dir = workDir.resolve("gguf");
                Files.createDirectories(dir);
                Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
                GgufSummary s = model != null ? GgufConverter.convert(model, type, file)
                        : MergedModelExporter.exportGguf(baseModel, trained, type, file,
                                line -> LOG.infof("Run %s export: %s", runId, line));
                s.warnings().forEach(w -> LOG.warnf("Run %s GGUF: %s", runId, w));
                List<ObjectInfo> uploaded = store.publish(dir, key.substring(0, key.lastIndexOf('/') + 1),
                        file.getFileName().toString());
                ObjectInfo info = uploaded.stream().filter(o -> o.key().equals(key)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(key + " missing from the upload"));
                gguf = new ArtifactRef(store.uri(key).toString(), info.sha256(), info.size());
                LOG.infof("Run %s: GGUF %s (%d tensors, %d bytes) published to %s", runId, type.label(),
                        s.tensorCount(), s.fileBytes(), gguf.uri());
            }
            return new Published(merged, gguf);
        } catch (StorageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RunFailure(TrainingErrorCode.INTERNAL_ERROR, "Run " + runId + " trained, but its " + stage
                    + " export failed: " + e.getMessage() + ". The trained " + (adapter ? "adapter" : "model")
                    + " is kept at " + kept + "; export it with `tuneforge export` or submit the run again.", e);
        }
    }
}
