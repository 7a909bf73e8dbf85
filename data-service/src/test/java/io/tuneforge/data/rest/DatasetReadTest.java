package io.tuneforge.data.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.Sha256;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tuneforge.data.testing.TestDatasets.instructions;
import static io.tuneforge.data.testing.TestDatasets.jsonl;
import static io.tuneforge.data.testing.TestDatasets.name;
import static io.tuneforge.data.testing.TestDatasets.utf8;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read side: datasets, versions, manifest, download, preview, rejected records, jobs; 404s name what is missing. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetReadTest {

    @Inject
    ArtifactStore store;

    private final String name = name("read");
    private String jobId;

    /** v1: 30 records + 4 exact duplicates + 2 bad lines; v2: 10 records. Once, before the first test (REST Assured
     * knows the port only from then on). */
    @BeforeEach
    void twoVersions() {
        if (jobId != null) {
            return;
        }
        List<Map<String, Object>> records = instructions(30, 31);
        String v1 = jsonl(records) + jsonl(records.subList(5, 9)) + "[1, 2]\n{broken\n";
        String job = "read-job-" + System.nanoTime();
        given().contentType("application/x-ndjson").body(utf8(v1)).queryParam("jobId", job)
                .queryParam("evalCount", 3).post("/api/datasets/" + name).then().statusCode(201)
                .header("X-Tuneforge-Job", job);
        given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(10, 32))))
                .post("/api/datasets/" + name).then().statusCode(201);
        jobId = job;
    }

    @Test
    void datasetsListNamesTheLatestVersion() {
        List<Map<String, Object>> datasets = given().get("/api/datasets").then().statusCode(200)
                .extract().path("findAll { it.datasetId == '" + name + "' }");

        assertEquals(1, datasets.size());
        assertEquals(2, datasets.get(0).get("latestVersion"));
        assertEquals(2, datasets.get(0).get("versions"));
        assertEquals(Map.of("input", 10, "train", 9, "eval", 1, "rejected", 0), datasets.get(0).get("counts"));
    }

    @Test
    void versionsAreListedOldestFirstWithTheirCounts() {
        given().get("/api/datasets/" + name + "/versions").then().statusCode(200)
                .body("version", is(List.of(1, 2)))
                .body("[0].counts.input", is(36))
                .body("[0].counts.rejected", is(6))
                .body("[0].format", is("instruction"))
                .body("[1].manifestUri", is(store.uri(ObjectKeys.datasetManifest(name, 2)).toString()));
    }

    @Test
    void theManifestIsServedAsWritten() throws Exception {
        Response manifest = given().get("/api/datasets/" + name + "/versions/v1");

        manifest.then().statusCode(200).body("counts.train", is(27)).body("counts.eval", is(3))
                .body("rejectedByReason.exact_duplicate", is(4))
                .body("files.'train.jsonl'.sha256",
                        is(store.stat(ObjectKeys.datasetFile(name, 1, ObjectKeys.TRAIN_FILE)).orElseThrow().sha256()));
        assertEquals(Json.mapper().readTree(store.getBytes(ObjectKeys.datasetManifest(name, 1))),
                Json.mapper().readTree(manifest.asString()));
    }

    @Test
    void missingDatasetsVersionsAndFilesAreNotFoundSayingWhatExists() {
        given().get("/api/datasets/" + name + "/versions/9").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("code", is("NOT_FOUND"))
                .body("detail", containsString("has no version 9; its versions are [1, 2]"));
        given().get("/api/datasets/nothing-here-" + System.nanoTime() + "/versions").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("has no published version"));
        given().get("/api/datasets/" + name + "/versions/latest").then().statusCode(400)
                .body("detail", containsString("'latest' is not a version number"));
    }

    @Test
    void previewShowsTheFirstRecordsAndWhetherThereAreMore() {
        given().get("/api/datasets/" + name + "/versions/1/preview?limit=3").then().statusCode(200)
                .body("file", is("train.jsonl")).body("records", hasSize(3)).body("more", is(true))
                .body("records.instruction", everyItem(containsString("Task ")));
        given().get("/api/datasets/" + name + "/versions/1/preview?file=eval.jsonl&limit=50").then().statusCode(200)
                .body("records", hasSize(3)).body("more", is(false));
        given().get("/api/datasets/" + name + "/versions/1/preview?file=secrets.txt").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("'secrets.txt' is not allowed"));
        given().get("/api/datasets/" + name + "/versions/1/preview?limit=0").then().statusCode(400)
                .body("errors[0].path", is("limit"));
    }

    @Test
    void rejectedRecordsCanBeFilteredByReason() {
        given().get("/api/datasets/" + name + "/versions/1/rejected").then().statusCode(200)
                .body("records", hasSize(6)).body("more", is(false));
        given().get("/api/datasets/" + name + "/versions/1/rejected?reason=exact_duplicate&limit=3").then()
                .statusCode(200).body("records", hasSize(3)).body("more", is(true))
                .body("records[0].line", is(31)).body("records[0].keptLine", is(6))
                .body("records[0].reasons[0].code", is("exact_duplicate"));
        given().get("/api/datasets/" + name + "/versions/1/rejected?reason=not_an_object").then().statusCode(200)
                .body("records.line", is(List.of(35)));
        given().get("/api/datasets/" + name + "/versions/1/rejected?reason=bad_vibes").then().statusCode(400)
                .body("detail", containsString("'bad_vibes' is not a reason code"));
    }

    @Test
    void downloadRedirectsToAPresignedUrlThatServesTheFile() throws Exception {
        String location = given().redirects().follow(false).get("/api/datasets/" + name + "/versions/1/download?file=train.jsonl")
                .then().statusCode(302).extract().header("Location");
        Map<String, Object> link = given().get("/api/datasets/" + name
                + "/versions/1/download?file=train.jsonl&redirect=false").then().statusCode(200).extract().path("$");

        byte[] bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        assertEquals(link.get("sha256"), Sha256.of(bytes));
        assertEquals(((Number) link.get("sizeBytes")).longValue(), bytes.length);
        assertTrue(((String) link.get("url")).contains("X-Amz-Signature="), (String) link.get("url"));
        given().get("/api/datasets/" + name + "/versions/1/download").then().statusCode(400)
                .body("detail", containsString("is missing"));
    }

    @Test
    void jobsShowWhatRanAndHowItEnded() {
        given().get("/api/datasets/jobs/" + jobId).then().statusCode(200)
                .body("status", is("succeeded")).body("phase", is("done")).body("datasetId", is(name))
                .body("version", is(1)).body("records", is(36)).body("rejected", is(6));
        given().get("/api/datasets/jobs?dataset=" + name).then().statusCode(200).body("version", is(List.of(2, 1)));
        given().get("/api/datasets/jobs/no-such-job").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void theApiIsInTheOpenApiDocument() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/datasets/{name}'.post.requestBody.content", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/datasets/{name}/versions/{version}/preview'.get.summary", containsString("first records"))
                .body("paths.'/api/datasets/jobs/{jobId}'.get", org.hamcrest.Matchers.notNullValue());
    }
}
