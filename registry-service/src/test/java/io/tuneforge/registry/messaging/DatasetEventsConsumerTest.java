package io.tuneforge.registry.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.prepared;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** DatasetPrepared events through the real broker, read back through the REST API. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class DatasetEventsConsumerTest {

    private static KafkaCompanion kafka;

    @BeforeAll
    static void connect() {
        kafka = TestEvents.companion();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void registersEachPreparedVersionOnceWithItsLineage() {
        String datasetId = uniqueId("ds");
        EventEnvelope<DatasetPrepared> v1 = event(prepared(datasetId, 1, null), Instant.parse("2026-01-01T00:00:00Z"));
        EventEnvelope<DatasetPrepared> v2 = event(prepared(datasetId, 2, new DatasetVersionRef(datasetId, 1)),
                Instant.parse("2026-01-02T00:00:00Z"));
        // The same version announced again under another id (a producer retry): versions are immutable.
        EventEnvelope<DatasetPrepared> v2Again = event(prepared(datasetId, 2, null), Instant.now());
        send(kafka, record(v1), record(v2), record(v2Again), record(v1));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/api/datasets/{id}/versions", datasetId)
                .then().statusCode(200)
                .body("version", contains(1, 2)));
        given().get("/api/datasets/{id}/versions/2", datasetId)
                .then().statusCode(200)
                .body("format", equalTo("conversation"))
                .body("counts.train", equalTo(9))
                .body("counts.rejected", equalTo(1))
                .body("manifestUri", equalTo("s3://tuneforge/datasets/" + datasetId + "/v2/manifest.json"))
                .body("trainUri", equalTo("s3://tuneforge/datasets/" + datasetId + "/v2/train.jsonl"))
                .body("source", equalTo("augmentation"))
                .body("parent.datasetId", equalTo(datasetId))
                .body("parent.version", equalTo(1))
                .body("eventId", equalTo(v2.id()))
                .body("createdAt", equalTo("2026-01-02T00:00:00Z"));
    }
}
