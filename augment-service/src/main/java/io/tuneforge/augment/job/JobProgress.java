package io.tuneforge.augment.job;

import io.tuneforge.augment.llm.CallCounts;
import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetVersionRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code augment-jobs/{jobId}/progress.json}, rewritten after every chunk: what a restarted job needs to go on where
 * it stopped, and what {@code GET /api/augmentations/{jobId}} shows.
 *
 * @param status        {@link #RUNNING}, {@link #FAILED} (resumes when sent again), {@link #WRITTEN} (the version is
 *                      published, its events may not be), {@link #COMPLETED}
 * @param request       the command, to tell a resend from a different job under the same id
 * @param recordsTotal  source records to augment (the parent's train records, or the first maxRecords)
 * @param chunkRecords  records per chunk, fixed at the first run so chunk boundaries never move
 * @param chunks        finished chunks in index order
 * @param generations   sum over the finished chunks
 * @param calls         sum over the finished chunks (a chunk interrupted by a crash is not counted; its
 *                      completions were cached and count as cache hits when it is done again)
 * @param runs          how many times the job was started
 * @param result        the version written, once {@link #WRITTEN}
 * @param prepared      the DatasetPrepared to send, once {@link #WRITTEN} (sent again if the first send was lost)
 * @param completed     the AugmentationCompleted to send, once {@link #WRITTEN}
 */
public record JobProgress(int schemaVersion, String jobId, String status, AugmentationRequested request,
                          int recordsTotal, int slotsPerRecord, int chunkRecords, List<ChunkSummary> chunks,
                          GenerationCounts generations, CallCounts calls, int runs, DatasetVersionRef result,
                          DatasetPrepared prepared, AugmentationCompleted completed, String errorCode,
                          String message, Instant createdAt, Instant updatedAt) {

    public static final String RUNNING = "running";
    public static final String FAILED = "failed";
    public static final String WRITTEN = "written";
    public static final String COMPLETED = "completed";

    public JobProgress {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        generations = generations == null ? GenerationCounts.ZERO : generations;
        calls = calls == null ? CallCounts.ZERO : calls;
    }

    public static JobProgress start(AugmentationRequested request, int recordsTotal, int slotsPerRecord,
            int chunkRecords, Instant now) {
        return new JobProgress(1, request.jobId(), RUNNING, request, recordsTotal, slotsPerRecord, chunkRecords,
                List.of(), GenerationCounts.ZERO, CallCounts.ZERO, 1, null, null, null, null, null, now, now);
    }

    /** Number of chunks the job has. */
    public int chunkCount() {
        return (recordsTotal + chunkRecords - 1) / chunkRecords;
    }

    /** Source records in finished chunks. */
    public int recordsDone() {
        return chunks.stream().mapToInt(c -> c.to() - c.from()).sum();
    }

    public boolean chunkDone(int index) {
        return chunks.stream().anyMatch(c -> c.index() == index);
    }

    public JobProgress restarted(Instant now) {
        return new JobProgress(schemaVersion, jobId, RUNNING, request, recordsTotal, slotsPerRecord, chunkRecords,
                chunks, generations, calls, runs + 1, result, prepared, completed, null, null, createdAt, now);
    }

    public JobProgress withChunk(ChunkSummary chunk, GenerationCounts chunkGenerations, Instant now) {
        List<ChunkSummary> all = new ArrayList<>(chunks);
        all.add(chunk);
        all.sort(java.util.Comparator.comparingInt(ChunkSummary::index));
        return new JobProgress(schemaVersion, jobId, status, request, recordsTotal, slotsPerRecord, chunkRecords, all,
                generations.plus(chunkGenerations), calls.plus(chunk.calls()), runs, result, prepared, completed, errorCode,
                message, createdAt, now);
    }

    public JobProgress failed(String code, String why, Instant now) {
        return new JobProgress(schemaVersion, jobId, FAILED, request, recordsTotal, slotsPerRecord, chunkRecords,
                chunks, generations, calls, runs, result, prepared, completed, code, why, createdAt, now);
    }

    public JobProgress written(DatasetPrepared prepared, AugmentationCompleted completed, Instant now) {
        return new JobProgress(schemaVersion, jobId, WRITTEN, request, recordsTotal, slotsPerRecord, chunkRecords,
                chunks, generations, calls, runs, completed.result(), prepared, completed, null, null, createdAt, now);
    }

    public JobProgress completed(Instant now) {
        return new JobProgress(schemaVersion, jobId, COMPLETED, request, recordsTotal, slotsPerRecord, chunkRecords,
                chunks, generations, calls, runs, result, prepared, completed, null, null, createdAt, now);
    }
}
