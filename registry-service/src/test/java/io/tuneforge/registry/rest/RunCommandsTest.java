package io.tuneforge.registry.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestAccess;
import io.tuneforge.registry.TestEvents;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunRepository;
import io.tuneforge.registry.security.Roles;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.progress;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submitting, cancelling, comparing and following runs through the API, with commands checked on the real broker. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class RunCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static KafkaCompanion kafka;

    @Inject
    RunRepository runs;

    @TestHTTPResource("/api/stream/runs")
    URL stream;

    @BeforeAll
    static void connect() {
        kafka = TestEvents.companion();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aBadRequestIsRefusedWithEveryBadFieldAndNothingIsPublished() {
        String runId = uniqueId("bad-submit");
        String body = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/tiny/\","
                + "\"dataset\":{\"id\":\"ds-chat\",\"version\":0},\"method\":\"dop\","
                + "\"lora\":{\"r\":0},\"hyperparameters\":{\"epochs\":\"three\",\"learningRate\":5,\"epoch\":3}}";
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json").body(body)
                .post("/api/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("5 invalid fields"))
                .body("errors.path", containsInAnyOrder("dataset.version", "method", "lora.r",
                        "hyperparameters.epochs", "hyperparameters.learningRate"))
                .body("errors.find { it.path == 'method' }.reason", containsString("did you mean \"dpo\""))
                .body("warnings[0].path", equalTo("hyperparameters.epoch"));
        given().get("/api/runs/{id}", runId).then().statusCode(404);
    }

    @Test
    void aValidRequestIsPublishedAsTrainingRequestedAndShowsAsValidatingAtOnce() {
        String runId = uniqueId("submit");
        String body = "{\"runId\":\"" + runId + "\",\"modelName\":\"support-bot\","
                + "\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"id\":\"ds-chat\",\"version\":2},"
                + "\"hyperparameters\":{\"epochs\":1}}";
        try (ConsumerTask<String, String> commands = commands()) {
            given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json").body(body)
                    .post("/api/runs")
                    .then().statusCode(202)
                    .header("Location", containsString("/api/runs/" + runId))
                    .body("runId", equalTo(runId))
                    .body("status", equalTo("validating"));

            ConsumerRecord<String, String> published = awaitRecord(commands, runId);
            assertEquals("io.tuneforge.training.requested", KafkaCompanion.getHeader(published.headers(), "ce_type"));
            assertEquals("/tuneforge/registry-service", KafkaCompanion.getHeader(published.headers(), "ce_source"));
            TrainingRequest request = Json.read(published.value(), TrainingRequest.class);
            assertEquals("support-bot", request.modelName());
            assertEquals(2, request.dataset().version());
        }
        given().get("/api/runs/{id}", runId)
                .then().statusCode(200)
                .body("status", equalTo("validating"))
                .body("modelName", equalTo("support-bot"))
                .body("tags.submitted-by", equalTo("token:test-writer"))
                .body("events[0].type", equalTo("io.tuneforge.training.requested"));

        // The same id again: refused, the run is not replaced.
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json").body(body)
                .post("/api/runs")
                .then().statusCode(409)
                .body("detail", containsString("'" + runId + "' is taken"));
    }

    @Test
    void aRequestWithoutRunIdGetsOneGenerated() {
        String runId = given().header("Authorization", TestAccess.bearer(Roles.ADMIN)).contentType("application/json")
                .body(Map.of("baseModel", "s3://tuneforge/models/tiny/", "dataset", Map.of("id", "ds-chat", "version", 1)))
                .post("/api/runs")
                .then().statusCode(202)
                .body("runId", startsWith("run-"))
                .extract().path("runId");
        given().get("/api/runs/{id}", runId).then().statusCode(200).body("modelName", equalTo("tiny-tuned"));
    }

    @Test
    void cancellingPublishesTrainingCancelRequestedUnlessTheRunEnded() {
        String active = uniqueId("cancel-me");
        String ended = uniqueId("ended");
        QuarkusTransaction.requiringNew().run(() -> {
            runs.persist(run(active, TrainingStatus.RUNNING));
            runs.persist(run(ended, TrainingStatus.SUCCEEDED));
        });
        try (ConsumerTask<String, String> commands = commands()) {
            given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                    .body(Map.of("reason", "wrong dataset")).post("/api/runs/{id}/cancel", active)
                    .then().statusCode(202)
                    .body("runId", equalTo(active));
            ConsumerRecord<String, String> published = awaitRecord(commands, active);
            assertEquals("io.tuneforge.training.cancel-requested",
                    KafkaCompanion.getHeader(published.headers(), "ce_type"));
            assertEquals("wrong dataset", Json.read(published.value(), TrainingCancelRequested.class).reason());
        }
        // No body at all (curl -X POST): the reason defaults.
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .post("/api/runs/{id}/cancel", ended)
                .then().statusCode(409)
                .body("detail", containsString("already succeeded"));
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .post("/api/runs/{id}/cancel", "no-such-run")
                .then().statusCode(404);
        given().header("Authorization", TestAccess.bearer(Roles.READER)).contentType("application/json")
                .post("/api/runs/{id}/cancel", active)
                .then().statusCode(403);
    }

    @Test
    void comparesRunsSideBySide() {
        String a = uniqueId("cmp-a");
        String b = uniqueId("cmp-b");
        submit(a, "{\"hyperparameters\":{\"learningRate\":0.0001}}");
        submit(b, "{\"hyperparameters\":{\"learningRate\":0.0003},\"lora\":{\"r\":8}}");
        Instant t = Instant.now();
        send(kafka, record(event(progress(a, 1, 2.0, 1e-4, null), t)), record(event(progress(b, 1, 1.8, 3e-4, null), t)),
                record(event(progress(b, 2, 1.5, 2e-4, null), t.plusSeconds(1))));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/runs/{id}/metrics", b).then().body("$", hasSize(2)));

        given().queryParam("ids", a + "," + b).get("/api/compare/runs")
                .then().statusCode(200)
                .body("runs.run.runId", contains(a, b))
                .body("differingParameters", contains("hyperparameters.learningRate", "lora.r"))
                .body("runs[0].parameters.'hyperparameters.learningRate'", equalTo("1.0E-4"))
                .body("runs[1].series.trainLoss", contains(1.8f, 1.5f));
        given().queryParam("ids", a).get("/api/compare/runs")
                .then().statusCode(400)
                .body("detail", containsString("give 2 to 10"));
        given().queryParam("ids", a + ",nope-" + b).get("/api/compare/runs")
                .then().statusCode(404)
                .body("detail", containsString("'nope-" + b + "'"));
    }

    @Test
    void theStreamPushesEachChangeOfARunAsItHappens() throws Exception {
        String runId = uniqueId("live");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stream + "?runId=" + runId))
                .header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        CompletableFuture<String> firstData = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        return line.substring(5).trim();
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300); // the subscription is in place before the change
        send(kafka, record(event(progress(runId, 4, 1.25, 1e-4, null), Instant.now())));
        String data = firstData.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        var update = Json.mapper().readTree(data);
        assertEquals(runId, update.path("run").path("runId").asText());
        assertEquals("running", update.path("run").path("status").asText());
        assertEquals(4, update.path("metric").path("step").asInt());
        assertEquals(1.25, update.path("metric").path("trainLoss").asDouble());
        assertTrue(update.path("run").path("progress").asDouble() > 0);
    }

    private void submit(String runId, String extra) {
        var body = Json.mapper().createObjectNode()
                .put("runId", runId).put("baseModel", "s3://tuneforge/models/tiny/");
        body.putObject("dataset").put("id", "ds-chat").put("version", 1);
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(Json.read(extra, Map.class)));
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .body(body.toString()).post("/api/runs").then().statusCode(202);
    }

    private static RunEntity run(String id, TrainingStatus status) {
        RunEntity r = new RunEntity();
        r.runId = id;
        r.status = status;
        r.createdAt = Instant.now();
        r.updatedAt = r.createdAt;
        return r;
    }

    private static ConsumerTask<String, String> commands() {
        return kafka.consumeStrings()
                .withGroupId(uniqueId("commands-reader"))
                .withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.TRAINING_COMMANDS);
    }

    private static ConsumerRecord<String, String> awaitRecord(ConsumerTask<String, String> records, String key) {
        await().atMost(WAIT).until(() -> records.stream().anyMatch(r -> key.equals(r.key())));
        List<ConsumerRecord<String, String>> found = records.stream().filter(r -> key.equals(r.key())).toList();
        assertEquals(1, found.size(), "one command for " + key);
        return found.get(0);
    }
}
