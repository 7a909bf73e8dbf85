package io.tuneforge.trainer.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.ServiceHealth;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.is;

/** Readiness covers the broker, the object store and the run log; metrics and the OpenAPI document are served. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
class HealthTest {

    @Test
    void readyWithKafkaAndObjectStoreUp() {
        ServiceHealth.assertReady("Run log")
                .body("checks.find { it.name == 'Run log' }.data.topic", is("tuneforge.trainer.runs"));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        ServiceHealth.assertMetricsAndOpenApiServed();
    }
}
