package io.tuneforge.augment.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tuneforge.augment.testing.LlmStub;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.augment.testing.TestDatasets;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code POST /api/augmentations} and {@code GET /api/augmentations/{jobId}}, through the broker to a finished job. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
class AugmentationApiTest {

    @Inject
    ArtifactStore store;

    private final LlmStub stub = LlmStub.connect();

    @Test
    void aPostedJobRunsAndItsProgressIsServed() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String instruction = "Translate the word apple into French for a beginner " + tag + ".";
        DatasetVersionRef source = TestDatasets.publish(store, "ds-api-" + tag, List.of(
                TestDatasets.record(instruction, "Une pomme.")), List.of());
        stub.answer("For someone just starting French, how do you say apple " + tag + "?", "Write version 1 of 1",
                instruction);

        String location = given().contentType(ContentType.JSON)
                .body("{\"source\":{\"datasetId\":\"" + source.datasetId() + "\",\"version\":1},"
                        + "\"operations\":[\"variations\"],\"settings\":{\"n\":1}}")
                .when().post("/api/augmentations")
                .then().statusCode(202)
                .header("Location", containsString("/api/augmentations/aug-"))
                .body("status", is("queued"))
                .body("href", containsString("/api/augmentations/aug-"))
                .extract().header("Location");
        String jobId = location.substring(location.lastIndexOf('/') + 1);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String status = null;
        while (Instant.now().isBefore(deadline) && !"completed".equals(status)) {
            Thread.sleep(200);
            status = given().when().get("/api/augmentations/" + jobId).then().extract().path("status");
        }
        assertEquals("completed", status);
        given().when().get("/api/augmentations/" + jobId).then().statusCode(200)
                .body("jobId", is(jobId))
                .body("source.datasetId", is(source.datasetId()))
                .body("result.version", is(2))
                .body("percent", equalTo(100.0f))
                .body("generations.accepted", is(1))
                .body("calls.fresh", is(1))
                .body("counts.added", is(1));
    }

    @Test
    void badRequestsAreProblemsThatSayWhatIsWrong() {
        given().contentType(ContentType.JSON)
                .body("{\"source\":{\"datasetId\":\"ds-x\",\"version\":1},\"operations\":[\"paraphrase\"],"
                        + "\"settings\":{\"temperature\":7}}")
                .when().post("/api/augmentations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", is("INVALID_REQUEST"))
                .body("detail", containsString("settings.temperature: expected a number from 0 to 2, got 7"));
        given().contentType(ContentType.JSON)
                .body("{\"source\":{\"datasetId\":\"ds-nowhere\",\"version\":3},\"operations\":[\"paraphrase\"]}")
                .when().post("/api/augmentations")
                .then().statusCode(404)
                .body("code", is("DATASET_NOT_FOUND"))
                .body("detail", containsString("s3://tuneforge/datasets/ds-nowhere/v3/manifest.json"));
        given().contentType(ContentType.JSON).body("[1, 2]")
                .when().post("/api/augmentations")
                .then().statusCode(400)
                .body("detail", containsString("not an AugmentationRequested"));
        given().when().get("/api/augmentations/aug-never-sent")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", is("JOB_NOT_FOUND"))
                .body("instance", endsWith("/api/augmentations/aug-never-sent"));
    }
}
