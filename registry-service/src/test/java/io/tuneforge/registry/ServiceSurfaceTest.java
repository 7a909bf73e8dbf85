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
import static org.hamcrest.Matchers.hasItems;
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
                .body("paths.'/api/datasets/{datasetId}/versions/{version}'.get", notNullValue());
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
