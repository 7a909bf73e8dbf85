package io.tuneforge.augment.job;

import io.tuneforge.augment.config.AugmentConfig;
import io.tuneforge.augment.llm.CallStats;
import io.tuneforge.augment.llm.Completions;
import io.tuneforge.augment.llm.FailureKind;
import io.tuneforge.augment.llm.LlmCallException;
import io.tuneforge.augment.operation.GateSettings;
import io.tuneforge.augment.operation.Generation;
import io.tuneforge.augment.operation.InvalidJobException;
import io.tuneforge.augment.operation.JobSettings;
import io.tuneforge.augment.operation.Operation;
import io.tuneforge.augment.operation.PromptTemplate;
import io.tuneforge.augment.operation.PromptTemplates;
import io.tuneforge.augment.operation.QualityGate;
import io.tuneforge.augment.operation.RecordAugmenter;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.record.Example;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.StorageException;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs augmentation jobs. A job is resumable at every point:
 * <ol>
 *   <li>settings are checked ({@link JobSettings}); {@code augment-jobs/{jobId}/progress.json} is read — a job
 *       finished before is not run again, one sent with the same id but another request is refused;</li>
 *   <li>the parent version is read; its train records are cut into chunks of {@code chunkRecords};</li>
 *   <li>each chunk not yet done: its records are augmented by {@code concurrency} workers ({@link RecordAugmenter}),
 *       the outcomes written to {@code chunks/{i}.jsonl}, then progress.json — a crash loses at most the chunk in
 *       hand, and its completions are in the response cache, so doing it again costs no calls;</li>
 *   <li>when every chunk is done, {@link VersionWriter} writes the new version; progress.json turns
 *       {@code written}, holding the events; the caller sends them and calls {@link #markCompleted}.</li>
 * </ol>
 * A completion failure that stops the job (auth, unknown model, breaker open, rate limit beyond the retries)
 * leaves progress.json {@code failed} with the reason; sending the command again resumes. Interrupting the calling
 * thread stops the job between completions and keeps its progress.
 */
public final class AugmentationEngine {

    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String DATASET_NOT_FOUND = "DATASET_NOT_FOUND";
    public static final String DATASET_INVALID = "DATASET_INVALID";
    public static final String INFRASTRUCTURE_ERROR = "INFRASTRUCTURE_ERROR";
    public static final String LLM_UNAVAILABLE = "LLM_UNAVAILABLE";
    public static final String LLM_AUTHENTICATION = "LLM_AUTHENTICATION";
    public static final String LLM_MODEL_NOT_FOUND = "LLM_MODEL_NOT_FOUND";
    public static final String PIPELINE_FAILED = "PIPELINE_FAILED";

    private static final Logger LOG = Logger.getLogger(AugmentationEngine.class);

    private final ArtifactStore store;
    private final Completions llm;
    private final AugmentConfig config;
    private final Path tempRoot;
    private final Clock clock;
    private final VersionWriter writer;
    private final Map<String, PromptTemplate> configuredTemplates;

    public AugmentationEngine(ArtifactStore store, Completions llm, AugmentConfig config, Path tempRoot, Clock clock) {
        this.store = store;
        this.llm = llm;
        this.config = config;
        this.tempRoot = tempRoot;
        this.clock = clock;
        this.writer = new VersionWriter(store, new VersionAllocator(store, 20, "augment-service"), clock);
        Map<String, PromptTemplate> templates = new LinkedHashMap<>();
        config.templates().forEach((k, t) -> templates.put(k, new PromptTemplate(t.system().orElse(null), t.user())));
        List<String> problems = PromptTemplates.problems("tuneforge.augment.templates", templates);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid prompt templates in the configuration: "
                    + String.join("; ", problems));
        }
        this.configuredTemplates = Map.copyOf(templates);
    }

    /** The job's progress.json, if it was ever started. */
    public Optional<JobProgress> progress(String jobId) {
        try {
            return Optional.of(store.getJson(JobKeys.progress(jobId), JobProgress.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** The events were sent: the job is done for good. */
    public void markCompleted(String jobId) {
        progress(jobId).ifPresent(p -> save(p.completed(clock.instant())));
    }

    /** Runs (or resumes) a job on the calling thread; see the class comment. */
    public JobOutcome run(AugmentationRequested request, JobListener listener) {
        JobSettings settings;
        try {
            settings = JobSettings.parse(request.settings(), config);
        } catch (InvalidJobException e) {
            return failed(request, INVALID_REQUEST, e.getMessage());
        }
        List<Operation> operations = request.operations().stream().map(Operation::fromWire).toList();
        Optional<JobProgress> existing;
        try {
            existing = progress(request.jobId());
        } catch (StorageException e) {
            return failed(request, INFRASTRUCTURE_ERROR, storeAdvice(e));
        }
        if (existing.isPresent()) {
            JobProgress p = existing.get();
            if (!sameRequest(p.request(), request)) {
                return failed(request, INVALID_REQUEST, "Job id '" + request.jobId() + "' was already used for"
                        + " another request (source " + p.request().source() + ", operations "
                        + p.request().operations() + ", settings " + p.request().settings() + "); use a new jobId");
            }
            if (JobProgress.COMPLETED.equals(p.status())) {
                return new JobOutcome.AlreadyCompleted(p);
            }
            if (JobProgress.WRITTEN.equals(p.status())) {
                return new JobOutcome.Completed(p.prepared(), p.completed());
            }
        }
        Path work = null;
        JobProgress progress = existing.orElse(null);
        try {
            Files.createDirectories(tempRoot);
            work = Files.createTempDirectory(tempRoot, "job-");
            ParentVersion parent;
            try {
                parent = ParentVersion.load(store, request.source(), work);
            } catch (NoSuchObjectException e) {
                return failed(request, DATASET_NOT_FOUND, "Source dataset " + request.source() + " is not complete in"
                        + " the store (" + e.getMessage() + "); prepare it with data-service first");
            }
            GateSettings gate = gateSettings(settings, parent);
            PromptTemplates templates = new PromptTemplates(configuredTemplates, settings.templates());
            RecordAugmenter augmenter = new RecordAugmenter(llm, templates, new QualityGate(gate), settings,
                    operations);
            int total = (int) Math.min(parent.trainRecords(),
                    settings.maxRecords() == null ? config.jobs().maxRecords() : settings.maxRecords());
            progress = progress == null
                    ? JobProgress.start(request, total, augmenter.slotsPerRecord(), config.jobs().chunkRecords(),
                            clock.instant())
                    : progress.restarted(clock.instant());
            save(progress);
            LOG.infof("Job %s: %s of %s, %d of %d train records in %d chunks (%d done), %d generations per record,"
                    + " model %s", request.jobId(), request.operations(), request.source(), total,
                    parent.trainRecords(), progress.chunkCount(), progress.chunks().size(),
                    augmenter.slotsPerRecord(), settings.llm().model());
            progress = runChunks(progress, parent, augmenter, settings.concurrency(), listener);
            JobOutcome.Completed done = writer.write(new VersionWriter.Context(progress, parent, settings, gate,
                    templates, llm.endpoint()), work);
            save(progress.written(done.prepared(), done.completed(), clock.instant()));
            LOG.infof("Job %s wrote %s: %s", request.jobId(), done.completed().result(), done.completed().counts());
            return done;
        } catch (LlmCallException e) {
            return failed(request, progress, codeOf(e.kind()), e.getMessage());
        } catch (CancellationException e) {
            LOG.infof("Job %s stopped (%s); it resumes from chunk %d when the command comes again", request.jobId(),
                    e.getMessage(), progress == null ? 0 : progress.chunks().size());
            return new JobOutcome.Stopped(progress);
        } catch (PipelineException e) {
            return failed(request, progress, PIPELINE_FAILED, "The augmented records could not be written as a"
                    + " dataset version (" + e.code() + "): " + e.getMessage());
        } catch (StorageException e) {
            return failed(request, progress, INFRASTRUCTURE_ERROR, storeAdvice(e));
        } catch (IllegalStateException e) {
            return failed(request, progress, DATASET_INVALID, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return failed(request, progress, INFRASTRUCTURE_ERROR, "Local files of the job failed: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    private JobProgress runChunks(JobProgress start, ParentVersion parent, RecordAugmenter augmenter, int workers,
            JobListener listener) throws IOException {
        JobProgress progress = start;
        String jobId = progress.jobId();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "augment-" + jobId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (BufferedReader reader = Files.newBufferedReader(parent.train(), StandardCharsets.UTF_8)) {
            for (int c = 0; c < progress.chunkCount(); c++) {
                int from = c * progress.chunkRecords();
                int to = Math.min(from + progress.chunkRecords(), progress.recordsTotal());
                List<String> lines = new ArrayList<>(to - from);
                while (lines.size() < to - from) {
                    String line = reader.readLine();
                    if (line == null) {
                        throw new IllegalStateException(parent.ref() + "'s train.jsonl ended after " + (from
                                + lines.size()) + " records; expected " + progress.recordsTotal());
                    }
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
                if (progress.chunkDone(c)) {
                    continue;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted before chunk " + c);
                }
                List<Example> examples = parent.parse(lines, from);
                CallStats stats = new CallStats();
                List<Future<List<Generation>>> futures = new ArrayList<>(examples.size());
                for (int i = 0; i < examples.size(); i++) {
                    int index = from + i;
                    Example example = examples.get(i);
                    futures.add(pool.submit(() -> augmenter.augment(index, example, stats)));
                }
                List<Generation> generations = collect(futures);
                String key = JobKeys.chunk(jobId, c);
                store.putBytes(key, jsonLines(generations), "application/x-ndjson");
                GenerationCounts counts = GenerationCounts.of(to - from, generations);
                progress = progress.withChunk(new ChunkSummary(c, from, to, key, counts.slots(), counts.accepted(),
                        counts.rejected(), counts.failed(), stats.snapshot()), counts, clock.instant());
                save(progress);
                LOG.infof("Job %s: chunk %d/%d done (%d/%d records): accepted %d, rejected %d, failed %d; calls %d"
                        + " (%d cached)", jobId, c + 1, progress.chunkCount(), progress.recordsDone(),
                        progress.recordsTotal(), progress.generations().accepted(), progress.generations().rejected(),
                        progress.generations().failed(), progress.calls().requests(), progress.calls().cacheHits());
                listener.onChunk(progress);
            }
        } finally {
            pool.shutdownNow();
        }
        return progress;
    }

    /** The workers' results in record order; on the first failure the others are cancelled and it is rethrown. */
    private static List<Generation> collect(List<Future<List<Generation>>> futures) {
        List<Generation> out = new ArrayList<>();
        try {
            for (Future<List<Generation>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while the chunk's records were being augmented");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private GateSettings gateSettings(JobSettings s, ParentVersion parent) {
        double threshold = s.nearDupThreshold() != null ? s.nearDupThreshold()
                : parent.setting("nearDupThreshold", config.gate().nearDupThreshold());
        return new GateSettings(threshold, (int) parent.setting("shingleSize", 5),
                (int) parent.setting("numPermutations", 128), s.minLengthRatio(), s.maxLengthRatio(),
                config.gate().lengthSlack(), s.minScriptShare());
    }

    private static byte[] jsonLines(List<Generation> generations) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(generations.size() * 512);
        try {
            for (Generation g : generations) {
                out.write(Json.mapper().writeValueAsBytes(g));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Whether two commands ask for the same job (source, operations and settings), whatever their event ids. */
    public static boolean sameRequest(AugmentationRequested a, AugmentationRequested b) {
        return Objects.equals(a.source(), b.source()) && Objects.equals(a.operations(), b.operations())
                && Objects.equals(Json.mapper().valueToTree(a.settings() == null ? Map.of() : a.settings()),
                Json.mapper().valueToTree(b.settings() == null ? Map.of() : b.settings()));
    }

    private static String codeOf(FailureKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> LLM_AUTHENTICATION;
            case MODEL_NOT_FOUND -> LLM_MODEL_NOT_FOUND;
            default -> LLM_UNAVAILABLE;
        };
    }

    private String storeAdvice(StorageException e) {
        return "The object store failed: " + e.getMessage() + ". Send the job again once /q/health/ready reports the"
                + " object store UP; it resumes where it stopped.";
    }

    private JobOutcome.Failed failed(AugmentationRequested request, String code, String message) {
        return failed(request, null, code, message);
    }

    private JobOutcome.Failed failed(AugmentationRequested request, JobProgress progress, String code,
            String message) {
        if (progress != null) {
            try {
                save(progress.failed(code, message, clock.instant()));
            } catch (StorageException e) {
                LOG.warnf("Could not record the failure of job %s in %s: %s", request.jobId(),
                        JobKeys.progress(request.jobId()), e.getMessage());
            }
        }
        LOG.warnf("Augmentation job %s failed (%s): %s", request.jobId(), code, message);
        return new JobOutcome.Failed(new AugmentationFailed(1, request.jobId(), request.source(), code, message));
    }

    private void save(JobProgress progress) {
        store.putJson(JobKeys.progress(progress.jobId()), progress);
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("Could not remove %s: %s", dir, e.getMessage());
        }
    }
}
