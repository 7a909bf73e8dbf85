package io.tuneforge.data.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tuneforge.data.testing.TestDatasets.csv;
import static io.tuneforge.data.testing.TestDatasets.gzip;
import static io.tuneforge.data.testing.TestDatasets.instructions;
import static io.tuneforge.data.testing.TestDatasets.jsonl;
import static io.tuneforge.data.testing.TestDatasets.keysUnder;
import static io.tuneforge.data.testing.TestDatasets.lines;
import static io.tuneforge.data.testing.TestDatasets.name;
import static io.tuneforge.data.testing.TestDatasets.utf8;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads through the REST API into the real S3 store; DatasetPrepared on the real broker. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetUploadTest {

    @Inject
    ArtifactStore store;

    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(), Topics.DATASET_EVENTS);
    }

    @AfterAll
    void tearDown() {
        kafka.close();
    }

    @Test
    void jsonlUploadBecomesV1WithEveryLineAccountedForAndDatasetPreparedOnTheTopic() {
        String name = name("jsonl");
        List<Map<String, Object>> records = instructions(40, 1);
        String body = jsonl(records)
                + jsonl(records.subList(0, 3))                  // 3 exact duplicates
                + "\n"                                          // a blank line
                + "{\"instruction\": \"unterminated\n";         // invalid JSON

        Response response = given().contentType("application/x-ndjson").body(utf8(body))
                .queryParam("evalCount", 4).queryParam("seed", 7)
                .when().post("/api/datasets/" + name);

        response.then().statusCode(201).contentType("application/json")
                .header("Location", endsWith("/api/datasets/" + name + "/versions/1"));
        assertEquals(1, (int) response.path("version"), response.asString());
        assertEquals("instruction", response.path("format"));
        assertEquals("upload", response.path("source"));
        Map<String, Integer> counts = response.path("counts");
        assertEquals(Map.of("input", 45, "train", 36, "eval", 4, "rejected", 5), counts);
        assertEquals(counts.get("input"), counts.get("train") + counts.get("eval") + counts.get("rejected"));
        assertEquals(3, (int) response.path("rejectedByReason.exact_duplicate"));

        String prefix = ObjectKeys.datasetVersionPrefix(name, 1);
        assertEquals(List.of(prefix + "eval.jsonl", prefix + "manifest.json", prefix + "rejected.jsonl",
                prefix + "train.jsonl"), keysUnder(store, name), "the four files, and no claim left behind");
        assertEquals(36, lines(store, prefix + "train.jsonl").size());
        assertEquals(4, lines(store, prefix + "eval.jsonl").size());
        assertEquals(5, lines(store, prefix + "rejected.jsonl").size());
        for (String file : List.of("train.jsonl", "eval.jsonl", "rejected.jsonl", "manifest.json")) {
            ObjectInfo info = store.stat(prefix + file).orElseThrow();
            assertEquals(info.sha256(), response.path("files.'" + file + "'.sha256"), file);
            assertEquals(info.size(), ((Number) response.path("files.'" + file + "'.sizeBytes")).longValue(), file);
        }

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.DATASET_EVENTS, name);
        assertEquals("io.tuneforge.dataset.prepared", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        DatasetPrepared prepared = Json.read(record.value(), DatasetPrepared.class);
        assertEquals(1, prepared.version());
        assertEquals(DatasetFormat.INSTRUCTION, prepared.format());
        assertEquals("upload", prepared.source());
        assertEquals(Map.of("input", 45L, "train", 36L, "eval", 4L, "rejected", 5L), prepared.counts());
        assertRef(prepared.train(), prefix + "train.jsonl");
        assertRef(prepared.eval(), prefix + "eval.jsonl");
        assertRef(prepared.rejected(), prefix + "rejected.jsonl");
        assertRef(prepared.manifest(), prefix + "manifest.json");
        assertEquals(store.uri(prefix + "manifest.json").toString(), response.path("manifestUri"));
    }

    @Test
    void reuploadUnderTheSameNameCreatesV2WithItsParentWhenAsked() {
        String name = name("again");
        byte[] body = utf8(jsonl(instructions(12, 2)));

        given().contentType("application/x-ndjson").body(body).post("/api/datasets/" + name).then().statusCode(201);
        Response second = given().contentType("application/x-ndjson").body(body)
                .queryParam("parentVersion", 1).post("/api/datasets/" + name);

        second.then().statusCode(201);
        assertEquals(2, (int) second.path("version"));
        assertEquals(Map.of("datasetId", name, "version", 1), second.path("parent"));
        assertTrue(store.exists(ObjectKeys.datasetManifest(name, 1)));
        assertTrue(store.exists(ObjectKeys.datasetManifest(name, 2)));
        kafka.awaitRecord("DatasetPrepared of v2", r -> name.equals(r.key()) && r.value().contains("\"version\":2"));
        List<DatasetPrepared> events = kafka.records(Topics.DATASET_EVENTS, name).stream()
                .map(r -> Json.read(r.value(), DatasetPrepared.class)).toList();
        assertEquals(List.of(1, 2), events.stream().map(DatasetPrepared::version).toList());
        assertEquals(1, events.get(1).parent().version());
    }

    @Test
    void jsonArrayIsAccepted() {
        String name = name("array");
        String body = Json.write(instructions(10, 3));

        Response response = given().contentType("application/json").body(utf8(body)).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals(10, (int) response.path("counts.input"));
        assertEquals(0, (int) response.path("counts.rejected"));
        Map<?, ?> input = (Map<?, ?>) store.getJson(ObjectKeys.datasetManifest(name, 1), Map.class).get("input");
        assertEquals("json", input.get("container"));
    }

    @Test
    void csvWithAHeaderRowIsAccepted() {
        String name = name("csv");

        Response response = given().contentType("text/csv").body(utf8(csv(instructions(10, 4))))
                .post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals("instruction", response.path("format"));
        assertEquals(10, (int) response.path("counts.train") + (int) response.path("counts.eval"));
    }

    @Test
    void gzipIsRecognisedByItsMagicBytes() {
        String name = name("gzip");
        byte[] body = gzip(utf8(jsonl(instructions(20, 5))));

        Response response = given().contentType("application/octet-stream").body(body).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals(20, (int) response.path("counts.input"));
        Map<?, ?> input = (Map<?, ?>) store.getJson(ObjectKeys.datasetManifest(name, 1), Map.class).get("input");
        assertEquals(true, input.get("gzip"));
        assertEquals((long) body.length, ((Number) input.get("bytes")).longValue());
    }

    @Test
    void multipartFilePartIsAccepted() {
        String name = name("multipart");

        Response response = given().multiPart("file", "support.jsonl", utf8(jsonl(instructions(15, 6))),
                "application/x-ndjson").queryParam("evalRatio", 0.2).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals(15, (int) response.path("counts.input"));
        assertEquals(3, (int) response.path("counts.eval"));
        Map<?, ?> input = (Map<?, ?>) store.getJson(ObjectKeys.datasetManifest(name, 1), Map.class).get("input");
        assertEquals("support.jsonl", input.get("name"));
    }

    @Test
    void conversionToConversationIsStatedAndWritten() {
        String name = name("convert");

        Response response = given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(5, 7))))
                .queryParam("to", "conversation").queryParam("evalCount", 0).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals("conversation", response.path("format"));
        assertEquals("instruction", response.path("detection.format"));
        String first = lines(store, ObjectKeys.datasetFile(name, 1, ObjectKeys.TRAIN_FILE)).get(0);
        assertTrue(first.startsWith("{\"messages\":[{\"role\":\"user\""), first);
        assertFalse(first.contains("\"instruction\""), first);
    }

    private void assertRef(ArtifactRef ref, String key) {
        ObjectInfo info = store.stat(key).orElseThrow();
        assertEquals(store.uri(key).toString(), ref.uri());
        assertEquals(info.sha256(), ref.sha256());
        assertEquals(info.size(), ref.sizeBytes());
    }
}
