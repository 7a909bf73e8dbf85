package io.tuneforge.eval.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tuneforge.eval.testing.TinyRuns;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/evaluations} checks at once, queues, and {@code GET} follows the evaluation to its report. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.evaluation.commands,tuneforge.evaluation.commands.dlq,"
                + "tuneforge.evaluation.events,tuneforge.training.events,tuneforge.training.events.dlq")})
class EvaluationResourceTest {

    @Inject
    ArtifactStore store;

    @Test
    void requestIsQueuedThenItsReportIsServed() throws Exception {
        TinyRuns.Fixture runs = TinyRuns.ensure(store);
        String evalId = "rest-" + runs.runB();
        String body = "{\"evalId\": \"" + evalId + "\", \"baseModel\": \"" + runs.modelUri() + "\", \"adapterUri\": \""
                + runs.adapterUri(store, runs.runB()) + "\", \"dataset\": {\"datasetId\": \"" + runs.dataset().datasetId()
                + "\", \"version\": 1}, \"metrics\": [\"exactMatch\", \"rouge1\"], \"maxSamples\": 4}";

        given().contentType(ContentType.JSON).body(body).when().post("/api/evaluations").then()
                .statusCode(202)
                .header("Location", containsString("/api/evaluations/" + evalId))
                .body("evalId", is(evalId));

        Response done = null;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            Response r = given().when().get("/api/evaluations/" + evalId);
            String state = r.path("state");
            if ("succeeded".equals(state) && r.path("result") != null || "failed".equals(state)) {
                done = r;
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(done != null, "no outcome within 90 s");
        assertEquals("succeeded", done.path("state"), done.asString());
        // Run B learned the colours in reverse order and the eval split holds them in order: its answers (ruby, jade,
        // plum, sand) all miss (red, blue, green, black). Tuned is not always better; the metric must say so.
        assertEquals(4, (int) done.path("result.samplesEvaluated"));
        assertEquals(0.0f, (float) done.path("result.metrics.exactMatch.tuned"), 0.0f, done.asString());
        assertTrue((float) done.path("result.metrics.rouge1.base") >= 0f, done.asString());
        assertEquals(runs.adapterUri(store, runs.runB()), done.path("result.adapter"));
    }

    @Test
    void badFieldsAre400AndMissingArtifacts404() {
        given().contentType(ContentType.JSON).body("{\"baseModel\": \"s3://tuneforge/models/x/\", \"dataset\":"
                        + " {\"datasetId\": \"ds\", \"version\": 1}, \"metrics\": [\"rougeX\"]}")
                .when().post("/api/evaluations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", is("INVALID_REQUEST"))
                .body("detail", containsString("metrics[0]: expected one of"));
        given().contentType(ContentType.JSON).body("{\"baseModel\": \"s3://tuneforge/models/never-imported/\","
                        + " \"dataset\": {\"datasetId\": \"ds-none\", \"version\": 1}}")
                .when().post("/api/evaluations").then().statusCode(404)
                .body("code", is("BASE_MODEL_NOT_FOUND"))
                .body("detail", containsString("s3://tuneforge/models/never-imported/config.json"));
        given().when().get("/api/evaluations/never-requested").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
