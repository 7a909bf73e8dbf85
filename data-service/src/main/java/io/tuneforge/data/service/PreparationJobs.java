package io.tuneforge.data.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.config.DataServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The preparation jobs of this replica: the running ones and the last {@code finishedJobsKept} finished ones, for
 * {@code GET /api/datasets/jobs}. Metrics (on {@code /q/metrics}):
 * <ul>
 *   <li>{@code tuneforge_data_jobs_active} — runs in progress;</li>
 *   <li>{@code tuneforge_data_jobs_input_bytes_read} — raw input bytes read so far by the runs in progress;</li>
 *   <li>{@code tuneforge_data_jobs_total{outcome}} — finished runs by outcome ({@code succeeded}, or the failure
 *       code in lower case, e.g. {@code empty_input}).</li>
 * </ul>
 */
@ApplicationScoped
public class PreparationJobs {

    private final DataServiceConfig config;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, PreparationJob> running = new ConcurrentHashMap<>();
    private final Deque<PreparationJob> finished = new ArrayDeque<>();

    public PreparationJobs(DataServiceConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        metrics.gauge("tuneforge.data.jobs.active", running, Map::size);
        metrics.gauge("tuneforge.data.jobs.input.bytes.read", running,
                r -> r.values().stream().mapToLong(PreparationJob::bytesRead).sum());
    }

    /**
     * Starts tracking a job.
     *
     * @param jobId the caller's id, or null for a generated one
     * @throws IllegalArgumentException when {@code jobId} is not a valid id or a job with that id is running
     */
    public PreparationJob start(String jobId, String datasetId, String source, String input, long totalBytes) {
        String id = jobId == null ? "job-" + UUID.randomUUID() : ObjectKeys.requireId("jobId", jobId);
        PreparationJob job = new PreparationJob(id, datasetId, source, input, totalBytes, clock,
                config.progressLogInterval());
        if (running.putIfAbsent(id, job) != null) {
            throw new IllegalArgumentException("jobId '" + id + "' is already running; choose another id or leave it"
                    + " out to get a generated one");
        }
        return job;
    }

    public void succeeded(PreparationJob job, int version) {
        job.succeeded(version);
        finish(job, "succeeded");
    }

    public void failed(PreparationJob job, String code, String message) {
        job.failed(code, message);
        finish(job, code.toLowerCase(java.util.Locale.ROOT));
    }

    private void finish(PreparationJob job, String outcome) {
        synchronized (finished) {
            finished.addFirst(job);
            while (finished.size() > Math.max(0, config.finishedJobsKept())) {
                finished.removeLast();
            }
        }
        running.remove(job.jobId(), job);
        Counter.builder("tuneforge.data.jobs").tag("outcome", outcome)
                .description("Finished dataset preparations by outcome").register(metrics).increment();
    }

    public Optional<JobView> find(String jobId) {
        PreparationJob job = running.get(jobId);
        if (job != null) {
            return Optional.of(job.view());
        }
        synchronized (finished) {
            return finished.stream().filter(j -> j.jobId().equals(jobId)).findFirst().map(PreparationJob::view);
        }
    }

    /** Running jobs first (oldest first), then finished ones (newest first); only one dataset's when given. */
    public List<JobView> list(String datasetId) {
        List<JobView> views = new ArrayList<>();
        running.values().stream().map(PreparationJob::view)
                .sorted(Comparator.comparing(JobView::startedAt)).forEach(views::add);
        synchronized (finished) {
            finished.forEach(j -> views.add(j.view()));
        }
        return datasetId == null ? views : views.stream().filter(v -> v.datasetId().equals(datasetId)).toList();
    }
}
