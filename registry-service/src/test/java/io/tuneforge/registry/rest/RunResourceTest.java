package io.tuneforge.registry.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** {@code /api/runs} over rows committed to the real database. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class RunResourceTest {

    /** Later than anything other tests write, so these runs lead the newest-first list. */
    private static final Instant FUTURE = Instant.parse("2400-01-01T00:00:00Z");
    /** Each test's runs are newer than the previous test's. */
    private static final AtomicInteger BATCH = new AtomicInteger();

    @Inject
    RunRepository runs;

    @Inject
    RunEventRepository timeline;

    private String prefix;
    private Instant base;

    @BeforeEach
    void insertRuns() {
        prefix = uniqueId("rest");
        base = FUTURE.plusSeconds(1000L * BATCH.incrementAndGet());
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 5; i++) {
                RunEntity r = new RunEntity();
                r.runId = prefix + "-" + i;
                r.status = i == 4 ? TrainingStatus.FAILED : TrainingStatus.SUCCEEDED;
                r.modelName = "tiny-chat";
                r.createdAt = base.plusSeconds(i);
                r.updatedAt = base.plusSeconds(i);
                if (i == 4) {
                    r.errorCode = "INVALID_REQUEST";
                    r.errorMessage = "The request has 1 bad field";
                    r.errorFields = "[{\"path\":\"lora.r\",\"reason\":\"must be at least 1, got 0\"}]";
                    r.request = "{\"runId\":\"" + r.runId + "\",\"lora\":{\"r\":0}}";
                    r.datasetId = "ds-chat";
                    r.datasetVersion = 3;
                }
                runs.persist(r);
            }
            RunEventEntity e = new RunEventEntity();
            e.eventId = prefix + "-evt";
            e.runId = prefix + "-4";
            e.type = "io.tuneforge.training.failed";
            e.time = base.plusSeconds(4);
            e.payload = "{\"runId\":\"" + prefix + "-4\",\"errorCode\":\"INVALID_REQUEST\"}";
            timeline.persist(e);
        });
    }

    @Test
    void pagesNewestFirst() {
        given().queryParam("size", 2).get("/api/runs")
                .then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("items.runId", contains(prefix + "-4", prefix + "-3"))
                .body("items[0].status", equalTo("failed"))
                .body("items[0].errorCode", equalTo("INVALID_REQUEST"))
                .body("items[0].dataset.datasetId", equalTo("ds-chat"))
                .body("totalItems", greaterThanOrEqualTo(5));
        given().queryParam("page", 1).queryParam("size", 2).get("/api/runs")
                .then().statusCode(200)
                .body("page", equalTo(1))
                .body("items.runId", contains(prefix + "-2", prefix + "-1"));
    }

    @Test
    void filtersByStatus() {
        given().queryParam("status", "succeeded").queryParam("size", 4).get("/api/runs")
                .then().statusCode(200)
                .body("items.runId", contains(prefix + "-3", prefix + "-2", prefix + "-1", prefix + "-0"));
        given().queryParam("status", "FAILED").queryParam("size", 1).get("/api/runs")
                .then().statusCode(200)
                .body("items.runId", contains(prefix + "-4"));
    }

    @Test
    void showsOneRunWithErrorRequestAndTimeline() {
        given().get("/api/runs/{id}", prefix + "-4")
                .then().statusCode(200)
                .body("runId", equalTo(prefix + "-4"))
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("The request has 1 bad field"))
                .body("error.fieldErrors[0].path", equalTo("lora.r"))
                .body("request.lora.r", equalTo(0))
                .body("dataset.version", equalTo(3))
                .body("createdAt", equalTo(base.plusSeconds(4).toString()))
                .body("events", hasSize(1))
                .body("events[0].type", equalTo("io.tuneforge.training.failed"))
                .body("events[0].data.errorCode", equalTo("INVALID_REQUEST"));
        given().get("/api/runs/{id}", prefix + "-0")
                .then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("error", nullValue())
                .body("events", hasSize(0));
    }

    @Test
    void anUnknownRunIsAProblemNamingTheId() {
        given().get("/api/runs/{id}", "no-such-run")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("'no-such-run'"))
                .body("instance", equalTo("/api/runs/no-such-run"));
    }

    @Test
    void badQueryParametersAreProblemsNamingTheValue() {
        given().queryParam("status", "finished").get("/api/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'finished'"))
                .body("detail", containsString("succeeded"));
        given().queryParam("size", 0).get("/api/runs")
                .then().statusCode(400)
                .body("detail", containsString("between 1 and 200, got 0"));
        given().queryParam("size", 201).get("/api/runs")
                .then().statusCode(400);
        given().queryParam("page", -1).get("/api/runs")
                .then().statusCode(400)
                .body("detail", containsString("got -1"));
    }
}
