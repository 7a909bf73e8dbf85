package io.tuneforge.augment.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.augment.llm.CallCounts;
import io.tuneforge.augment.operation.GateSettings;
import io.tuneforge.augment.operation.Generation;
import io.tuneforge.augment.operation.JobSettings;
import io.tuneforge.augment.operation.PromptTemplates;
import io.tuneforge.augment.storage.AugmentedVersionSink;
import io.tuneforge.augment.storage.RejectedTally;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.DatasetPipeline;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.PipelineSettingsMap;
import io.tuneforge.dataprep.sink.WrittenFile;
import io.tuneforge.servicekit.dataset.ObjectStoreDatasetSink;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the augmented version once every chunk is done, through dataprep's pipeline — the same validation,
 * cleaning, exact and near dedup and manifest as an upload:
 * <ol>
 *   <li>input = the parent's train records (lines 1..N, first, so duplicates always keep the original), then every
 *       accepted generation in chunk order, labelled {@code source: augment:<operation>};</li>
 *   <li>the pipeline runs over it with the parent's record rules ({@link ParentVersion#INHERITED_SETTINGS}),
 *       exact dedup on, near dedup off, and {@code evalCount} 0; {@link AugmentedVersionSink} puts the parent's
 *       eval.jsonl in place and completes the manifest with the augmentation section. Near dedup is off because,
 *       over whole records, a rewrite of a short instruction with a long answer is always "near" its original: the
 *       measure would be judging the unchanged answer. The quality gate applied the same measure to the rewritten
 *       fields instead, against the source and the record's other generations;</li>
 *   <li>the counts are checked before the manifest is published: train = parent train − originals the pipeline
 *       dropped + accepted − generated the pipeline dropped.</li>
 * </ol>
 */
final class VersionWriter {

    private final ArtifactStore store;
    private final VersionAllocator allocator;
    private final Clock clock;

    VersionWriter(ArtifactStore store, VersionAllocator allocator, Clock clock) {
        this.store = store;
        this.allocator = allocator;
        this.clock = clock;
    }

    /** What the augmentation section describes besides the progress. */
    record Context(JobProgress progress, ParentVersion parent, JobSettings settings, GateSettings gate,
                   PromptTemplates templates, String endpoint) {
    }

    /**
     * @throws PipelineException when the pipeline refuses the input; nothing was published
     */
    JobOutcome.Completed write(Context ctx, Path work) throws IOException, PipelineException {
        JobProgress progress = ctx.progress();
        Path input = work.resolve("augmented-input.jsonl");
        List<String> generatedOps = new ArrayList<>();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input), 1 << 16)) {
            try (BufferedReader r = Files.newBufferedReader(ctx.parent().train(), StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    }
                }
            }
            for (ChunkSummary chunk : progress.chunks()) {
                try (InputStream in = store.get(chunk.key());
                     BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        Generation g = Json.mapper().readValue(line, Generation.class);
                        if (g.accepted()) {
                            out.write(Json.mapper().writeValueAsBytes(g.example()));
                            out.write('\n');
                            generatedOps.add(g.operation());
                        }
                    }
                }
            }
        }
        long originals = ctx.parent().trainRecords();
        RejectedTally tally = new RejectedTally(originals);
        DatasetVersionRef source = ctx.parent().ref();
        PipelineSettings base = PipelineSettings.builder().format(ctx.parent().format()).threads(1)
                .tempDir(work).parent(source).clock(clock).build();
        PipelineSettings settings = PipelineSettingsMap.fromMap(ctx.parent().inheritedSettings(), base).toBuilder()
                .format(ctx.parent().format()).evalCount(0).stratifyBySource(false).convertTo(null).nearDedup(false)
                .build();
        ObjectStoreDatasetSink target = new ObjectStoreDatasetSink(store, allocator, source.datasetId(), work);
        AugmentedVersionSink sink = new AugmentedVersionSink(target, store, ctx.parent().evalKey(), tally,
                (manifest, eval) -> finish(manifest, eval, ctx, tally, generatedOps));
        String name = "augmentation " + progress.jobId() + " of " + source;
        new DatasetPipeline(settings).run(new DatasetInput(name, Files.newInputStream(input), Files.size(input)),
                sink, null);

        DatasetVersionRef result = new DatasetVersionRef(source.datasetId(), target.version());
        ObjectNode manifest = sink.manifest();
        Map<String, ObjectInfo> files = target.uploaded();
        Map<String, Long> counts = new LinkedHashMap<>();
        manifest.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        DatasetPrepared prepared = new DatasetPrepared(1, result.datasetId(), result.version(),
                ctx.parent().format(), ref(files.get(ObjectKeys.TRAIN_FILE)), ref(files.get(ObjectKeys.EVAL_FILE)),
                ref(files.get(ObjectKeys.REJECTED_FILE)), ref(files.get(ObjectKeys.MANIFEST_FILE)), counts, source,
                "augmentation");
        return new JobOutcome.Completed(prepared, new AugmentationCompleted(1, progress.jobId(), source, result,
                completedCounts(progress, tally, counts)));
    }

    private ArtifactRef ref(ObjectInfo o) {
        return o == null ? null : new ArtifactRef(store.uri(o.key()).toString(), o.sha256(), o.size());
    }

    /** The pipeline's manifest with the inherited eval split and the augmentation section. */
    private ObjectNode finish(ObjectNode m, WrittenFile eval, Context ctx, RejectedTally tally,
            List<String> generatedOps) {
        JobProgress p = ctx.progress();
        long originals = ctx.parent().trainRecords();
        long accepted = p.generations().accepted();
        long added = accepted - tally.generatedRejected();
        long train = m.path("counts").path("train").asLong();
        long expected = originals - tally.originalsRejected() + added;
        if (train != expected || generatedOps.size() != accepted) {
            throw new IllegalStateException("the augmented version does not add up: train.jsonl has " + train
                    + " records, expected parent train " + originals + " - originals dropped "
                    + tally.originalsRejected() + " + accepted " + accepted + " - generated dropped "
                    + tally.generatedRejected() + " = " + expected + " (accepted lines read back: "
                    + generatedOps.size() + "); nothing was published");
        }
        ObjectNode counts = (ObjectNode) m.path("counts");
        counts.put("input", counts.path("input").asLong() + eval.lines());
        counts.put("eval", eval.lines());
        ObjectNode split = (ObjectNode) m.path("split");
        split.put("eval", eval.lines());
        split.put("method", "eval.jsonl is the parent's eval split, copied unchanged, so no rewrite of an eval"
                + " record reaches train; only train records were augmented and the train side was not split;"
                + " counts.input = input.records (the train side the pipeline read) + the inherited eval records");
        ObjectNode inherited = split.putObject("evalInheritedFrom");
        inherited.put("datasetId", ctx.parent().ref().datasetId());
        inherited.put("version", ctx.parent().ref().version());
        ObjectNode evalFile = ((ObjectNode) m.path("files")).putObject(ObjectKeys.EVAL_FILE);
        evalFile.put("bytes", eval.bytes());
        evalFile.put("sha256", eval.sha256());
        evalFile.put("records", eval.lines());
        m.put("source", "augmentation");
        m.set("augmentation", section(ctx, tally, generatedOps, added));
        return m;
    }

    private ObjectNode section(Context ctx, RejectedTally tally, List<String> generatedOps, long added) {
        JobProgress p = ctx.progress();
        GenerationCounts g = p.generations();
        ObjectNode a = Json.mapper().createObjectNode();
        a.put("jobId", p.jobId());
        a.putObject("parent").put("datasetId", ctx.parent().ref().datasetId())
                .put("version", ctx.parent().ref().version());
        a.set("operations", Json.mapper().valueToTree(p.request().operations()));
        a.put("endpoint", ctx.endpoint());
        a.put("model", ctx.settings().llm().model());
        ObjectNode settings = Json.mapper().valueToTree(ctx.settings().describe());
        settings.set("gate", Json.mapper().valueToTree(ctx.gate().describe()));
        settings.set("templates", Json.mapper().valueToTree(ctx.templates().describeUsed()));
        a.set("settings", settings);

        ObjectNode records = a.putObject("records");
        records.put("parentTrain", ctx.parent().trainRecords());
        records.put("augmented", p.recordsTotal());
        records.put("originalsKept", ctx.parent().trainRecords() - tally.originalsRejected());
        records.put("added", added);

        ObjectNode gen = a.putObject("generations");
        gen.put("slots", g.slots());
        gen.put("accepted", g.accepted());
        gen.put("rejected", g.rejected());
        gen.put("failed", g.failed());
        gen.set("rejectedByReason", Json.mapper().valueToTree(g.rejectedByReason()));
        gen.set("failedByKind", Json.mapper().valueToTree(g.failedByKind()));
        Map<String, Long> droppedByOp = new TreeMap<>();
        tally.generatedLines().keySet().forEach(line -> droppedByOp.merge(
                generatedOps.get((int) (line - ctx.parent().trainRecords() - 1)), 1L, Long::sum));
        ObjectNode byOp = gen.putObject("byOperation");
        g.byOperation().forEach((op, c) -> {
            ObjectNode o = byOp.putObject(op);
            o.put("slots", c.getOrDefault("slots", 0L));
            o.put("accepted", c.getOrDefault(Generation.ACCEPTED, 0L));
            o.put("rejected", c.getOrDefault(Generation.REJECTED, 0L));
            o.put("failed", c.getOrDefault(Generation.FAILED, 0L));
            o.put("added", c.getOrDefault(Generation.ACCEPTED, 0L) - droppedByOp.getOrDefault(op, 0L));
        });
        ObjectNode pipeline = a.putObject("pipeline");
        pipeline.put("generatedRejected", tally.generatedRejected());
        pipeline.set("generatedRejectedByReason", Json.mapper().valueToTree(tally.generatedByReason()));
        pipeline.put("originalsRejected", tally.originalsRejected());

        CallCounts c = p.calls();
        ObjectNode calls = a.putObject("calls");
        calls.put("requests", c.requests());
        calls.put("cacheHits", c.cacheHits());
        calls.put("fresh", c.fresh());
        calls.put("failed", c.failed());
        calls.put("httpRequests", c.httpRequests());
        calls.put("retries", c.retries());
        calls.put("circuitOpen", c.circuitOpen());
        calls.set("errors", Json.mapper().valueToTree(c.errors()));
        ObjectNode tokens = a.putObject("tokens");
        tokens.put("prompt", c.promptTokens());
        tokens.put("completion", c.completionTokens());
        tokens.put("total", c.promptTokens() + c.completionTokens());
        tokens.put("cachedPrompt", c.cachedPromptTokens());
        tokens.put("cachedCompletion", c.cachedCompletionTokens());
        a.put("runs", p.runs());
        a.put("startedAt", p.createdAt().toString());
        a.put("finishedAt", clock.instant().toString());
        return a;
    }

    /** AugmentationCompleted.counts: generations, calls, tokens and the new version's record counts. */
    private static Map<String, Long> completedCounts(JobProgress p, RejectedTally tally, Map<String, Long> version) {
        GenerationCounts g = p.generations();
        CallCounts c = p.calls();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records", (long) p.recordsTotal());
        m.put("generated", g.accepted() + g.rejected());
        m.put("accepted", g.accepted());
        m.put("rejected", g.rejected());
        g.rejectedByReason().forEach((k, v) -> m.put("rejected." + k, v));
        m.put("failed", g.failed());
        g.failedByKind().forEach((k, v) -> m.put("failed." + k, v));
        m.put("pipelineRejected", tally.generatedRejected());
        m.put("added", g.accepted() - tally.generatedRejected());
        m.put("calls", c.requests());
        m.put("cachedCalls", c.cacheHits());
        m.put("freshCalls", c.fresh());
        m.put("failedCalls", c.failed());
        m.put("httpRequests", c.httpRequests());
        m.put("retries", c.retries());
        m.put("promptTokens", c.promptTokens());
        m.put("completionTokens", c.completionTokens());
        m.put("train", version.getOrDefault("train", 0L));
        m.put("eval", version.getOrDefault("eval", 0L));
        return m;
    }
}
