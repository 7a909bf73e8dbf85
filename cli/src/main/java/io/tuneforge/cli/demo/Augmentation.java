package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.ServiceClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The demo's augmentation job: paraphrase the first few train records through augment-service, whose
 * OpenAI-compatible client {@code tuneforge up} points at eval-service's {@code /v1} serving the tiny model. The tiny
 * model writes gibberish, so the quality gate may reject every generation: the counts are reported, and only a job
 * that cannot be submitted at all fails the stage.
 */
final class Augmentation {

    static final int RECORDS = 4;

    private Augmentation() {
    }

    /** Submits the job and waits for its end; returns the job as {@code GET /api/augmentations/{id}} shows it. */
    static JsonNode run(ServiceClient augment, String dataset, int version, String model, Duration timeout) {
        Map<String, Object> job = Map.of(
                "source", Map.of("datasetId", dataset, "version", version),
                "operations", List.of("paraphrase"),
                "settings", Map.of("model", model, "maxRecords", RECORDS, "temperature", 0.7, "maxTokens", 32,
                        "concurrency", 2));
        JsonNode accepted = augment.post("api/augmentations", job);
        String jobId = accepted.path("jobId").asText();
        if (jobId.isEmpty()) {
            throw new IllegalStateException("augment-service accepted the job but named no jobId: " + accepted);
        }
        System.out.printf("job %s: paraphrase %d records of %s v%d with %s%n", jobId, RECORDS, dataset, version, model);
        Instant deadline = Instant.now().plus(timeout);
        JsonNode view = accepted;
        while (Instant.now().isBefore(deadline)) {
            view = Polling.find(augment, "api/augmentations/" + ServiceClient.segment(jobId));
            String status = view == null ? "queued" : view.path("status").asText();
            if (status.equals("completed") || status.equals("failed")) {
                break;
            }
            Polling.sleep(1000);
        }
        if (view == null) {
            view = accepted;
        }
        JsonNode g = view.path("generations");
        String status = view.path("status").asText("unknown");
        System.out.printf("job %s %s: %d generations accepted, %d rejected by the quality gate, %d failed%s%n",
                jobId, status.equals("completed") || status.equals("failed") ? status : "still " + status
                        + " after " + timeout.toSeconds() + " s (left running)",
                g.path("accepted").asLong(), g.path("rejected").asLong(), g.path("failed").asLong(),
                view.path("result").isObject() ? " -> " + view.at("/result/datasetId").asText() + " v"
                        + view.at("/result/version").asInt() : "");
        if (status.equals("failed")) {
            System.out.printf("  (%s: %s — the demo carries on without it)%n", view.path("errorCode").asText(),
                    view.path("message").asText());
        }
        return view;
    }
}
