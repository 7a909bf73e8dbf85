package io.tuneforge.augment.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** Readiness covers the broker and the object store; metrics and the OpenAPI document are served. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
class HealthTest {

    @Test
    void readyWithKafkaAndObjectStoreUp() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("Object store"))
                .body("checks.find { it.name == 'Object store' }.status", is("UP"))
                .body("checks.name", hasItem(containsString("Reactive Messaging")));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
