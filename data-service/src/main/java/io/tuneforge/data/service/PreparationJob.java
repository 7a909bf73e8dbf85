package io.tuneforge.data.service;

import io.tuneforge.dataprep.Progress;
import io.tuneforge.dataprep.ProgressListener;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One running (or finished) pipeline run: receives the pipeline's progress on the run's thread and is read by the
 * jobs endpoint and the metrics from others, so every field is volatile. Logs a progress line at most once per
 * {@code logInterval}.
 */
public final class PreparationJob implements ProgressListener {

    private static final Logger LOG = Logger.getLogger(PreparationJob.class);

    private final String jobId;
    private final String datasetId;
    private final String source;
    private final String input;
    private final Clock clock;
    private final Duration logInterval;
    private final Instant startedAt;
    private volatile long totalBytes;
    private volatile Progress progress;
    private volatile String status = "running";
    private volatile Integer version;
    private volatile String errorCode;
    private volatile String error;
    private volatile Instant finishedAt;
    private volatile long lastLog;

    PreparationJob(String jobId, String datasetId, String source, String input, long totalBytes, Clock clock,
            Duration logInterval) {
        this.jobId = jobId;
        this.datasetId = datasetId;
        this.source = source;
        this.input = input;
        this.totalBytes = totalBytes;
        this.clock = clock;
        this.logInterval = logInterval;
        this.startedAt = clock.instant();
        this.lastLog = startedAt.toEpochMilli();
    }

    public String jobId() {
        return jobId;
    }

    public String datasetId() {
        return datasetId;
    }

    public boolean running() {
        return finishedAt == null;
    }

    /** Raw input bytes read so far. */
    public long bytesRead() {
        Progress p = progress;
        return p == null ? 0 : p.bytesRead();
    }

    @Override
    public void onProgress(Progress p) {
        progress = p;
        if (p.totalBytes() > 0) {
            totalBytes = p.totalBytes();
        }
        long now = clock.millis();
        if (now - lastLog >= logInterval.toMillis() && p.phase() != Progress.Phase.DONE) {
            lastLog = now;
            LOG.infof("Job %s (dataset %s): %s, %s read, %d records (%d kept, %d rejected)", jobId, datasetId,
                    p.phase().name().toLowerCase(Locale.ROOT), bytes(p.bytesRead(), totalBytes), p.records(),
                    p.kept(), p.rejected());
        }
    }

    /** The version this job writes, once claimed. */
    void version(int v) {
        version = v > 0 ? v : null;
    }

    void succeeded(int v) {
        version = v;
        status = "succeeded";
        finishedAt = clock.instant();
    }

    void failed(String code, String message) {
        status = "failed";
        errorCode = code;
        error = message;
        finishedAt = clock.instant();
    }

    public JobView view() {
        Progress p = progress;
        long read = p == null ? 0 : p.bytesRead();
        long total = totalBytes;
        String phase = p == null ? "starting" : p.phase().name().toLowerCase(Locale.ROOT);
        Instant end = finishedAt;
        double elapsed = Duration.between(startedAt, end == null ? clock.instant() : end).toMillis() / 1000.0;
        return new JobView(jobId, datasetId, source, input, status, phase, read, total,
                total > 0 ? Math.min(1.0, (double) read / total) : -1, p == null ? 0 : p.records(),
                p == null ? 0 : p.kept(), p == null ? 0 : p.rejected(), version, errorCode, error, startedAt, end,
                elapsed);
    }

    private static String bytes(long read, long total) {
        String r = String.format(Locale.ROOT, "%.1f MB", read / 1e6);
        return total > 0 ? r + String.format(Locale.ROOT, " of %.1f MB (%.0f%%)", total / 1e6, 100.0 * read / total) : r;
    }
}
