package io.tuneforge.data.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.ServiceHealth;
import org.junit.jupiter.api.Test;

/** Readiness covers the broker and the object store; metrics and the OpenAPI document are served. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
class HealthTest {

    @Test
    void readyWithKafkaAndObjectStoreUp() {
        ServiceHealth.assertReady();
    }

    @Test
    void metricsAndOpenApiAreServed() {
        ServiceHealth.assertMetricsAndOpenApiServed();
    }
}
