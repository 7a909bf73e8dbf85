package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.ServiceClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What the registry knows of a finished run: its loss curve's ends and its model version. */
final class RunOutcome {

    private RunOutcome() {
    }

    /** First and last training loss of a run, with their steps, and how long it trained. */
    record Loss(long firstStep, double first, long lastStep, double last, double seconds) {
    }

    /** From {@code GET /api/runs/{id}/metrics} (one point per progress event) and the run's start/end events. */
    static Loss loss(ServiceClient registry, String runId) {
        JsonNode first = null;
        JsonNode last = null;
        for (JsonNode m : registry.get("api/runs/" + ServiceClient.segment(runId) + "/metrics", Map.of())) {
            if (m.hasNonNull("trainLoss")) {
                first = first == null ? m : first;
                last = m;
            }
        }
        if (first == null) {
            throw new IllegalStateException("run " + runId + " ended but the registry holds no training loss for it");
        }
        return new Loss(first.path("step").asLong(), first.path("trainLoss").asDouble(), last.path("step").asLong(),
                last.path("trainLoss").asDouble(), trainingSeconds(registry.get("api/runs/"
                        + ServiceClient.segment(runId), Map.of())));
    }

    /** Waits until the registry has filed the run's model version; returns {modelName, version, status}. */
    static JsonNode awaitModelVersion(ServiceClient registry, String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode version = registry.get("api/runs/" + ServiceClient.segment(runId), Map.of()).path("modelVersion");
            if (version.isObject()) {
                return version;
            }
            Polling.sleep(1000);
        }
        throw new IllegalStateException("the registry filed no model version for run " + runId + " within "
                + timeout.toSeconds() + " s; .tuneforge/logs/registry-service.log shows why");
    }

    /** Seconds from the run's {@code started} event to its {@code completed} one; NaN when either is missing. */
    private static double trainingSeconds(JsonNode run) {
        Instant started = null;
        Instant ended = null;
        for (JsonNode e : run.path("events")) {
            String type = e.path("type").asText();
            Instant at = e.hasNonNull("time") ? Instant.parse(e.path("time").asText()) : null;
            if (type.endsWith(".started") && started == null) {
                started = at;
            } else if (type.endsWith(".completed")) {
                ended = at;
            }
        }
        return started == null || ended == null ? Double.NaN : Duration.between(started, ended).toMillis() / 1000.0;
    }
}
