package io.tuneforge.registry.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.registry.AliasSet;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestAccess;
import io.tuneforge.registry.TestEvents;
import io.tuneforge.registry.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.completed;
import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.putAdapter;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.request;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code /api/models} and {@code /api/versions}: search, aliases (with AliasSet on the broker), tags, downloads. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class ModelResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaCompanion kafka;
    /** One model with two READY versions, shared by the tests (registration takes a few seconds). */
    private static String model;
    private static List<String> runIds;

    @BeforeAll
    static void connect() {
        kafka = TestEvents.companion();
    }

    /** Once for the class; in a @BeforeEach because REST Assured knows the test port only then. */
    @BeforeEach
    void registerAModelWithTwoVersions() {
        if (model != null) {
            return;
        }
        model = uniqueId("alias-model");
        TrainingRequest first = request(uniqueId("run-a1"), "ds-chat", 1, model);
        TrainingRequest second = request(uniqueId("run-a2"), "ds-chat", 1, model);
        runIds = List.of(first.runId(), second.runId());
        putAdapter(first.runId());
        putAdapter(second.runId());
        Instant t0 = Instant.now();
        send(kafka, record(event(completed(first, 1.4), t0)));
        await().atMost(WAIT).until(() -> given().get("/api/versions?runId=" + first.runId())
                .then().extract().<List<String>>path("items.status").contains("READY"));
        send(kafka, record(event(completed(second, 1.1), t0.plusSeconds(5))));
        await().atMost(WAIT).until(() -> given().get("/api/models/" + model + "/versions?status=READY")
                .then().extract().<Integer>path("totalItems") == 2);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void searchesModelsAndVersions() {
        given().queryParam("q", model.toUpperCase()).get("/api/models")
                .then().statusCode(200)
                .body("items.name", contains(model))
                .body("items[0].latestVersion", equalTo(2))
                .body("items[0].versionCount", equalTo(2));
        given().queryParam("model", model).queryParam("size", 1).get("/api/versions")
                .then().statusCode(200)
                .body("items.version", contains(2))
                .body("totalItems", equalTo(2))
                .body("totalPages", equalTo(2));
        given().queryParam("status", "GONE").get("/api/versions")
                .then().statusCode(400)
                .body("detail", containsString("PENDING_REGISTRATION, FAILED_REGISTRATION, READY"));
        given().get("/api/models/{name}/versions/{v}", model, 7)
                .then().statusCode(404)
                .body("detail", equalTo("Model '" + model + "' has no version 7; its versions are [1, 2]"));
    }

    @Test
    void anAliasPointsAtOneVersionIsUniquePerModelAndIsAnnouncedAsAliasSet() {
        try (ConsumerTask<String, String> events = kafka.consumeStrings().withGroupId(uniqueId("alias-reader"))
                .withProp("auto.offset.reset", "earliest").fromTopics(Topics.REGISTRY_EVENTS)) {
            setAlias("champion", 1).then().statusCode(200).body("version", equalTo(1));
            setAlias("champion", 2).then().statusCode(200).body("version", equalTo(2));
            setAlias("challenger", 1).then().statusCode(200);

            given().get("/api/models/{name}/aliases/champion", model)
                    .then().statusCode(200)
                    .body("version", equalTo(2))
                    .body("aliases", contains("champion"))
                    .body("runId", equalTo(runIds.get(1)));
            given().get("/api/models/{name}", model)
                    .then().body("aliases.champion", equalTo(2))
                    .body("aliases.challenger", equalTo(1))
                    .body("versions.find { it.version == 1 }.aliases", contains("challenger"));

            await().atMost(WAIT).until(() -> aliasEvents(events).size() == 3);
            assertEquals(List.of("champion:1", "champion:2", "challenger:1"), aliasEvents(events).stream()
                    .map(e -> e.alias() + ":" + e.version()).toList());
        }
        setAlias("champion", 9).then().statusCode(404).body("detail", containsString("no version 9"));
        setAlias("v2", 1).then().statusCode(400).body("detail", containsString("reserved"));
        setAlias("bad alias!", 1).then().statusCode(400).body("detail", containsString("not valid"));

        given().header("Authorization", TestAccess.bearer(Roles.WRITER))
                .delete("/api/models/{name}/aliases/challenger", model).then().statusCode(204);
        given().get("/api/models/{name}/aliases/challenger", model)
                .then().statusCode(404)
                .body("detail", containsString("its aliases are [champion]"));
    }

    @Test
    void tagsOnModelsVersionsAndRunsAreSetReplacedAndRemoved() {
        putTag("/api/models/" + model + "/tags/task", "chat").then().statusCode(200).body("task", equalTo("chat"));
        putTag("/api/models/" + model + "/tags/task", "support").then().statusCode(200).body("task", equalTo("support"));
        putTag("/api/models/" + model + "/versions/1/tags/validated", "yes").then().statusCode(200);
        putTag("/api/runs/" + runIds.get(0) + "/tags/note", "first try").then().statusCode(200);

        given().queryParam("tag", "task=support").queryParam("size", 200).get("/api/models")
                .then().body("items.name", hasItem(model));
        given().queryParam("tag", "task=chat").queryParam("size", 200).get("/api/models")
                .then().body("items.name", not(hasItem(model)));
        given().get("/api/models/{name}/versions/1", model).then().body("tags.validated", equalTo("yes"));
        given().get("/api/runs/{id}", runIds.get(0)).then().body("tags.note", equalTo("first try"));

        given().header("Authorization", TestAccess.bearer(Roles.WRITER))
                .delete("/api/models/{name}/versions/1/tags/validated", model).then().statusCode(204);
        given().get("/api/models/{name}/versions/1", model).then().body("tags", not(hasKey("validated")));
        given().header("Authorization", TestAccess.bearer(Roles.WRITER))
                .delete("/api/models/{name}/versions/1/tags/validated", model).then().statusCode(404);
        putTag("/api/models/" + model + "/tags/" + "k".repeat(251), "x").then().statusCode(400);
        given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .body("{}").put("/api/models/{name}/tags/empty", model)
                .then().statusCode(400).body("detail", containsString("needs a value"));
    }

    @Test
    void downloadLinksArePresignedAndWorkWithoutCredentials() throws Exception {
        var files = given().get("/api/models/{name}/versions/1/artifacts", model)
                .then().statusCode(200)
                .body("name", containsInAnyOrder("adapter_config.json", "adapter_model.safetensors"))
                .body("url", org.hamcrest.Matchers.everyItem(containsString("X-Amz-Signature=")))
                .extract().<List<Map<String, Object>>>path("$");
        String url = files.stream().filter(f -> f.get("name").equals("adapter_model.safetensors")).findFirst()
                .orElseThrow().get("url").toString();
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(new byte[64], download.body());

        // The page route redirects to a fresh link instead of writing one into the page.
        given().redirects().follow(false)
                .get("/ui/models/{name}/versions/1/files/adapter_config.json", model)
                .then().statusCode(303)
                .header("Location", startsWith(TestEvents.store().settings().endpoint()))
                .header("Location", containsString("/adapter/adapter_config.json"));
        given().redirects().follow(false)
                .get("/ui/models/{name}/versions/1/files/../../../x", model)
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)));
        given().get("/api/runs/{id}/artifacts", runIds.get(0))
                .then().statusCode(200)
                .body("name", hasItem("adapter/adapter_model.safetensors"));
    }

    private static io.restassured.response.Response setAlias(String alias, int version) {
        return given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .body(Map.of("version", version)).put("/api/models/{name}/aliases/{alias}", model, alias);
    }

    private static io.restassured.response.Response putTag(String path, String value) {
        return given().header("Authorization", TestAccess.bearer(Roles.WRITER)).contentType("application/json")
                .body(Map.of("value", value)).put(path);
    }

    private static List<AliasSet> aliasEvents(ConsumerTask<String, String> records) {
        return records.stream().filter(r -> model.equals(r.key()))
                .filter(r -> "io.tuneforge.registry.alias-set".equals(KafkaCompanion.getHeader(r.headers(), "ce_type")))
                .map(r -> Json.read(r.value(), AliasSet.class)).toList();
    }
}
