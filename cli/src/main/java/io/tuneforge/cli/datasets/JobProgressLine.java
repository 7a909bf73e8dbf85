package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Polls {@code GET /api/datasets/jobs/{id}} and rewrites one line on stderr, e.g.
 * {@code reading 312.4 MB / 1.0 GB (30%) · 601,220 records · 12,004 rejected}. Misses (the job has not started yet,
 * a slow answer) are skipped silently: progress is a courtesy, the upload's answer is what counts.
 */
final class JobProgressLine implements Runnable {

    private final DataServiceClient client;
    private final String jobId;
    private final PrintWriter err;
    private int lastLength;

    JobProgressLine(DataServiceClient client, String jobId, PrintWriter err) {
        this.client = client;
        this.jobId = jobId;
        this.err = err;
    }

    @Override
    public void run() {
        try {
            JsonNode job = client.get("api/datasets/jobs/" + DataServiceClient.segment(jobId), Map.of());
            String line = describe(job);
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            err.flush();
            lastLength = line.length();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String describe(JsonNode job) {
        StringBuilder s = new StringBuilder(job.path("phase").asText("starting")).append(' ')
                .append(mb(job.path("bytesRead").asLong()));
        long total = job.path("totalBytes").asLong(-1);
        if (total > 0) {
            s.append(" / ").append(mb(total)).append(String.format(Locale.ROOT, " (%d%%)",
                    Math.round(100.0 * job.path("bytesRead").asLong() / total)));
        }
        return s.append(String.format(Locale.ROOT, " · %,d records · %,d rejected", job.path("records").asLong(),
                job.path("rejected").asLong())).toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
