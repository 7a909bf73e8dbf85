package io.tuneforge.augment.rest;

import io.tuneforge.augment.job.GenerationCounts;
import io.tuneforge.augment.job.JobProgress;
import io.tuneforge.augment.llm.CallCounts;
import io.tuneforge.contracts.dataset.DatasetVersionRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An augmentation job as {@code GET /api/augmentations/{jobId}} shows it.
 *
 * @param status          queued (sent, not started), running, failed, written, completed
 * @param percent         records done / records to augment, 0-100
 * @param result          the new version, once written
 * @param counts          AugmentationCompleted's counts, once written
 */
public record JobView(String jobId, String status, DatasetVersionRef source, List<String> operations,
                      Map<String, Object> settings, int recordsTotal, int recordsDone, double percent, int chunksDone,
                      int chunks, GenerationCounts generations, CallCounts calls, DatasetVersionRef result,
                      Map<String, Long> counts, String errorCode, String message, int runs, Instant createdAt,
                      Instant updatedAt) {

    public static JobView of(JobProgress p) {
        double percent = p.recordsTotal() == 0 ? 100.0
                : Math.round(1000.0 * p.recordsDone() / p.recordsTotal()) / 10.0;
        return new JobView(p.jobId(), p.status(), p.request().source(), p.request().operations(),
                p.request().settings(), p.recordsTotal(), p.recordsDone(), percent, p.chunks().size(),
                p.chunkCount(), p.generations(), p.calls(), p.result(),
                p.completed() == null ? null : p.completed().counts(), p.errorCode(), p.message(), p.runs(),
                p.createdAt(), p.updatedAt());
    }
}
