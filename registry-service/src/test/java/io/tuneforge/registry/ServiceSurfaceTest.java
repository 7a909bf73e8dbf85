package io.tuneforge.registry;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Topics;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What operators and other services rely on: health, metrics, OpenAPI, channel wiring. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class ServiceSurfaceTest {

    @Test
    void readyWhenDatabaseAndBrokerAnswer() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check",
                        "SmallRye Reactive Messaging - readiness check", "Registry schema"))
                .body("checks.find { it.name == 'Registry schema' }.data.version", equalTo("2"));
    }

    @Test
    void documentsTheApi() {
        given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/runs'.get", notNullValue())
                .body("paths.'/api/runs/{runId}'.get.responses.'404'.content.'application/problem+json'", notNullValue())
                .body("paths.'/api/datasets/{datasetId}/versions/{version}'.get", notNullValue())
                .body("paths.'/api/models'.get", notNullValue())
                .body("paths.'/api/models/{name}/aliases/{alias}'.put.responses.'404'", notNullValue())
                .body("paths.'/api/runs'.post.responses.'400'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/ValidationProblem"))
                .body("paths.'/api/runs/{runId}/cancel'.post", notNullValue())
                .body("paths.'/api/compare/runs'.get", notNullValue())
                .body("paths.'/api/models/{name}/lineage'.get", notNullValue())
                .body("paths.'/api/stream/runs'.get", notNullValue())
                .body("paths.'/api/tokens'.post", notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/api/runs'.post.security[0].bearer", notNullValue())
                .body("paths.keySet()", not(hasItem(startsWith("/ui"))));
    }

    @Test
    void reportsTheObjectStoreOutsideReadiness() {
        given().get("/q/health/group/object-store")
                .then().statusCode(200)
                .body("checks.name", hasItems("Object store"))
                .body("checks[0].data.bucket", equalTo("tuneforge"));
        given().get("/q/health/ready")
                .then().body("checks.name", not(hasItem("Object store")));
    }

    @Test
    void theUiIsServedWithItsChartLibraryFromTheWebjar() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/ui/models"));
        given().get("/ui/models").then().statusCode(200).contentType(containsString("text/html"));
        given().get(io.tuneforge.registry.ui.UiAssets.CHART_JS).then().statusCode(200)
                .body(containsString("Chart"));
        given().get("/static/app.css").then().statusCode(200);
        given().get("/ui/no-such-page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("There is no page at /ui/no-such-page"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("client_id=\"kafka-consumer-training-events\""));
    }

    @Test
    void channelsReadTheContractTopicsAndDeadLetterToTheirDlq() {
        var config = ConfigProvider.getConfig();
        assertEquals(Topics.TRAINING_EVENTS,
                config.getValue("mp.messaging.incoming.training-events.topic", String.class));
        assertEquals(Topics.dlq(Topics.TRAINING_EVENTS),
                config.getValue("mp.messaging.incoming.training-events.dead-letter-queue.topic", String.class));
        assertEquals(Topics.DATASET_EVENTS,
                config.getValue("mp.messaging.incoming.dataset-events.topic", String.class));
        assertEquals(Topics.dlq(Topics.DATASET_EVENTS),
                config.getValue("mp.messaging.incoming.dataset-events.dead-letter-queue.topic", String.class));
        for (String channel : new String[]{"training-events", "dataset-events"}) {
            assertEquals("registry-service",
                    config.getValue("mp.messaging.incoming." + channel + ".group.id", String.class));
            assertEquals("dead-letter-queue",
                    config.getValue("mp.messaging.incoming." + channel + ".failure-strategy", String.class));
        }
    }
}
