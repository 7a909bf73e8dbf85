package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Follows a run through the registry ({@code GET /api/runs/{id}} and its metric series) with a one-line progress bar:
 * {@code [#########.........]  45%  step 68/150  loss 1.234  ETA 31 s  running}.
 */
final class RunWatcher {

    private static final int BAR = 30;

    private RunWatcher() {
    }

    /** First and last training loss of a run, with their steps. */
    record Loss(long firstStep, double first, long lastStep, double last, long steps, double seconds) {
    }

    /**
     * Waits until the run succeeds, drawing progress on {@code out}.
     *
     * @throws IllegalStateException when the run fails or is cancelled (with the registry's error code and message),
     *                               or does not end within {@code timeout}
     */
    static Loss watch(JsonHttp registry, String runId, Duration timeout, PrintStream out) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        String status = "unknown";
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = registry.find("api/runs/" + runId);
            status = run == null ? "submitted" : run.path("status").asText();
            JsonNode metrics = registry.find("api/runs/" + runId + "/metrics");
            JsonNode last = metrics == null || metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
            out.print("\r" + line(run, last, status));
            out.flush();
            switch (status) {
                case "succeeded" -> {
                    out.println();
                    return loss(metrics, Duration.between(start, Instant.now()).toMillis() / 1000.0);
                }
                case "failed", "cancelled" -> {
                    out.println();
                    throw new IllegalStateException("run " + runId + " " + status + ": "
                            + run.at("/error/code").asText("") + " " + run.at("/error/message").asText("")
                            + " (.tuneforge/logs/trainer-service.log has the details)");
                }
                default -> Augmentation.sleep(1000);
            }
        }
        out.println();
        throw new IllegalStateException("run " + runId + " did not end within " + timeout.toSeconds()
                + " s (last status: " + status + "); `tuneforge status` and .tuneforge/logs/trainer-service.log show"
                + " why");
    }

    /** Waits until the registry has filed the run's model version; returns {modelName, version, status}. */
    static JsonNode awaitModelVersion(JsonHttp registry, String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode version = registry.get("api/runs/" + runId).path("modelVersion");
            if (version.isObject()) {
                return version;
            }
            Augmentation.sleep(1000);
        }
        throw new IllegalStateException("the registry filed no model version for run " + runId + " within "
                + timeout.toSeconds() + " s; .tuneforge/logs/registry-service.log shows why");
    }

    static String line(JsonNode run, JsonNode last, String status) {
        double progress = run == null ? 0 : run.path("progress").asDouble(0);
        int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * BAR);
        StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(BAR - filled))
                .append(String.format("] %3.0f%%", progress * 100));
        if (run != null && run.hasNonNull("step")) {
            s.append("  step ").append(run.path("step").asLong());
            if (run.hasNonNull("totalSteps")) {
                s.append('/').append(run.path("totalSteps").asLong());
            }
        }
        if (last != null && last.hasNonNull("trainLoss")) {
            s.append(String.format("  loss %.3f", last.path("trainLoss").asDouble()));
        }
        if (run != null && run.hasNonNull("etaSeconds") && !"succeeded".equals(status)) {
            s.append(String.format("  ETA %.0f s", run.path("etaSeconds").asDouble()));
        }
        return s.append("  ").append(status).append("   ").toString();
    }

    private static Loss loss(JsonNode metrics, double seconds) {
        JsonNode first = null;
        JsonNode last = null;
        for (JsonNode m : metrics == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : metrics) {
            if (m.hasNonNull("trainLoss")) {
                first = first == null ? m : first;
                last = m;
            }
        }
        if (first == null) {
            throw new IllegalStateException("the run succeeded but the registry holds no training loss for it");
        }
        return new Loss(first.path("step").asLong(), first.path("trainLoss").asDouble(), last.path("step").asLong(),
                last.path("trainLoss").asDouble(), last.path("step").asLong(), seconds);
    }
}
