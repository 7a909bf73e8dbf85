package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.ServiceClient;

import java.time.Duration;
import java.time.Instant;

/** Waits for an evaluation on eval-service ({@code GET /api/evaluations/{evalId}}). */
final class Evaluations {

    private Evaluations() {
    }

    /**
     * @return the report ({@code result}: metrics name → {base, tuned, delta}, samples, settings)
     * @throws IllegalStateException when it failed (its code and message) or did not end within {@code timeout}
     */
    static JsonNode await(ServiceClient eval, String evalId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String state = "not known yet";
        while (Instant.now().isBefore(deadline)) {
            JsonNode view = Polling.find(eval, "api/evaluations/" + ServiceClient.segment(evalId));
            state = view == null ? "not known yet" : view.path("state").asText();
            if (state.equals("succeeded")) {
                JsonNode report = view.path("result");
                JsonNode rouge = report.at("/metrics/rougeL");
                System.out.printf("%s: %d samples, ROUGE-L base %.1f -> tuned %.1f%n", evalId,
                        report.path("samplesEvaluated").asInt(report.at("/samples/evaluated").asInt()),
                        rouge.path("base").asDouble(), rouge.path("tuned").asDouble());
                return report;
            }
            if (state.equals("failed") || state.equals("skipped")) {
                throw new IllegalStateException("evaluation " + evalId + " " + state + ": "
                        + view.path("errorCode").asText() + " " + view.path("message").asText()
                        + " (.tuneforge/logs/eval-service.log has the details)");
            }
            Polling.sleep(1000);
        }
        throw new IllegalStateException("evaluation " + evalId + " did not end within " + timeout.toSeconds()
                + " s (last state: " + state + "); .tuneforge/logs/eval-service.log shows what it is doing");
    }
}
