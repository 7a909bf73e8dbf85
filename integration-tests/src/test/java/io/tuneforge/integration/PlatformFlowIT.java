package io.tuneforge.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged trainer-service and registry-service against real Kafka, S3 and PostgreSQL: what a user sees when
 * a request names a dataset that does not exist, and when data-service announces a new dataset version.
 */
class PlatformFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String SOURCE = "/tuneforge/integration-tests";

    private static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = Platform.start("registry-service", "trainer-service");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aRequestForAMissingDatasetFailsAndTheRegistryShowsWhy() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String runId = "it-run-" + suffix;
        String datasetId = "ds-missing-" + suffix;
        TrainingRequest request = new TrainingRequest(TrainingRequest.SCHEMA_VERSION, runId, null,
                "s3://tuneforge/models/tiny-llama/", DatasetSpec.registered(datasetId, 1), null, null, null, null,
                null, null, null, Map.of("suite", "integration-tests"));

        try (KafkaConsumer<String, String> events = platform.reader(Topics.TRAINING_EVENTS)) {
            platform.publish(EventEnvelope.of(SOURCE, request));

            TrainingFailed failed = awaitEvent(events, runId, TrainingFailed.class);
            assertEquals(TrainingErrorCode.DATASET_NOT_FOUND, failed.errorCode(), failed.message());
            assertTrue(failed.message().contains(datasetId), "the error names the dataset: " + failed.message());
        }

        JsonNode run = awaitJson("registry-service", "/api/runs/" + runId,
                body -> "failed".equals(body.path("status").asText()));
        assertEquals(runId, run.path("runId").asText());
        assertEquals("DATASET_NOT_FOUND", run.path("error").path("code").asText());
        assertTrue(run.path("error").path("message").asText().contains(datasetId), run.toString());
        assertEquals(datasetId, run.path("dataset").path("datasetId").asText(), run.toString());
        assertTrue(containsType(run.path("events"), "io.tuneforge.training.failed"), run.toString());
    }

    @Test
    void aRunSubmittedThroughTheRegistryReachesTheTrainerAndItsOutcomeComesBack() {
        String runId = "it-ui-run-" + UUID.randomUUID().toString().substring(0, 8);
        String datasetId = "ds-absent-" + UUID.randomUUID().toString().substring(0, 8);
        String request = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/tiny-llama/\","
                + "\"dataset\":{\"id\":\"" + datasetId + "\",\"version\":1}}";

        Platform.HttpAnswer refused = platform.post("registry-service", "/api/runs", "{\"baseModel\":\"ftp://x\"}",
                Platform.REGISTRY_ADMIN_TOKEN);
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.body().path("errors").size() >= 2, "every bad field is listed: " + refused.body());

        Platform.HttpAnswer accepted = platform.post("registry-service", "/api/runs", request,
                Platform.REGISTRY_ADMIN_TOKEN);
        assertEquals(202, accepted.status(), String.valueOf(accepted.body()));
        assertEquals(runId, accepted.body().path("runId").asText());

        // trainer-service takes the command the registry published and answers; the registry shows the answer.
        JsonNode run = awaitJson("registry-service", "/api/runs/" + runId,
                body -> "failed".equals(body.path("status").asText()));
        assertEquals("DATASET_NOT_FOUND", run.path("error").path("code").asText(), run.toString());
        assertEquals("io.tuneforge.training.requested", run.path("events").path(0).path("type").asText(),
                run.toString());
        assertEquals("admin-token", run.path("tags").path("submitted-by").asText(), run.toString());
    }

    @Test
    void aPreparedDatasetVersionIsListedByTheRegistry() {
        String datasetId = "ds-it-" + UUID.randomUUID().toString().substring(0, 8);
        String prefix = "s3://tuneforge/datasets/" + datasetId + "/v1/";
        DatasetPrepared prepared = new DatasetPrepared(1, datasetId, 1, DatasetFormat.INSTRUCTION,
                new ArtifactRef(prefix + "train.jsonl", "0".repeat(64), 2048),
                new ArtifactRef(prefix + "eval.jsonl", "1".repeat(64), 256),
                new ArtifactRef(prefix + "rejected.jsonl", "2".repeat(64), 0),
                new ArtifactRef(prefix + "manifest.json", "3".repeat(64), 900),
                Map.of("input", 20L, "train", 18L, "eval", 2L, "rejected", 0L), null, "upload");
        platform.publish(EventEnvelope.of("/tuneforge/data-service", prepared));

        JsonNode list = awaitJson("registry-service", "/api/datasets?size=200",
                body -> containsDataset(body.path("items"), datasetId));
        assertNotNull(list);
        Platform.HttpAnswer version = platform.get("registry-service", "/api/datasets/" + datasetId + "/versions/1");
        assertEquals(200, version.status(), String.valueOf(version.body()));
        assertEquals("instruction", version.body().path("format").asText());
        assertEquals(18, version.body().path("counts").path("train").asInt());
        assertEquals(prefix + "manifest.json", version.body().path("manifestUri").asText());

        Platform.HttpAnswer missing = platform.get("registry-service", "/api/datasets/" + datasetId + "/versions/2");
        assertEquals(404, missing.status());
        assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
    }

    private static <T extends EventPayload> T awaitEvent(KafkaConsumer<String, String> consumer, String key,
                                                         Class<T> type) {
        Instant deadline = Instant.now().plus(WAIT);
        StringBuilder seen = new StringBuilder();
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (!key.equals(record.key())) {
                    continue;
                }
                Map<String, String> headers = new HashMap<>();
                for (Header h : record.headers()) {
                    headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                }
                EventEnvelope<EventPayload> event = CloudEventsKafka.decode(headers, record.value(), null, null);
                seen.append(event.type().type()).append(' ');
                if (type.isInstance(event.data())) {
                    return type.cast(event.data());
                }
            }
        }
        return fail("No " + type.getSimpleName() + " for key " + key + " on " + Topics.TRAINING_EVENTS + " within "
                + WAIT.toSeconds() + " s; saw [" + seen.toString().trim() + "]. trainer-service log ends with:\n"
                + platform.service("trainer-service").logTail(30));
    }

    private static JsonNode awaitJson(String service, String path, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(WAIT);
        Platform.HttpAnswer last = null;
        while (Instant.now().isBefore(deadline)) {
            last = platform.get(service, path);
            if (last.status() == 200 && last.body() != null && done.test(last.body())) {
                return last.body();
            }
            sleep(250);
        }
        return fail("GET " + path + " on " + service + " did not show the expected state within " + WAIT.toSeconds()
                + " s; last answer: " + (last == null ? "none" : last.status() + " " + last.body())
                + ". " + service + " log ends with:\n" + platform.service(service).logTail(30));
    }

    private static boolean containsType(JsonNode events, String type) {
        for (JsonNode e : events) {
            if (type.equals(e.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsDataset(JsonNode items, String datasetId) {
        for (JsonNode item : items) {
            if (datasetId.equals(item.path("datasetId").asText()) && item.path("latestVersion").asInt() == 1) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
