package io.tuneforge.augment.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Augmentation jobs through the real broker and S3; answers on {@code tuneforge.augmentation.events}. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AugmentationCommandsTest {

    private static final String DLQ = Topics.dlq(Topics.AUGMENTATION_COMMANDS);

    @Inject
    ArtifactStore store;

    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(),
                Topics.AUGMENTATION_EVENTS, DLQ);
    }

    @AfterAll
    void tearDown() {
        kafka.close();
    }

    @Test
    void missingSourceVersionFailsWithDatasetNotFound() {
        String jobId = jobId("missing");

        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, jobId,
                new DatasetVersionRef("ds-absent", 4), List.of("paraphrase"), null)));

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, jobId);
        assertEquals("io.tuneforge.augmentation.failed", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        AugmentationFailed failed = Json.read(record.value(), AugmentationFailed.class);
        assertEquals("DATASET_NOT_FOUND", failed.errorCode());
        assertEquals(new DatasetVersionRef("ds-absent", 4), failed.source());
        assertTrue(failed.message().contains("s3://tuneforge/datasets/ds-absent/v4/manifest.json"), failed.message());
    }

    @Test
    void unknownOperationFailsAsInvalidRequestNamingIt() {
        String jobId = jobId("unknown-op");

        kafka.send(Topics.AUGMENTATION_COMMANDS, null, "{\"jobId\":\"" + jobId + "\",\"source\":{\"datasetId\":"
                + "\"ds-a\",\"version\":1},\"operations\":[\"paraphrase\",\"translate\"]}", Map.of());

        AugmentationFailed failed = Json.read(kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, jobId).value(),
                AugmentationFailed.class);
        assertEquals("INVALID_REQUEST", failed.errorCode());
        assertTrue(failed.message().contains("operations[1]: expected one of paraphrase, variations, backTranslate,"
                + " got 'translate'"), failed.message());
    }

    @Test
    void existingSourceIsAcceptedWithoutAFakeCompletion() {
        String jobId = jobId("present");
        String datasetId = "ds-" + jobId;
        store.putJson(ObjectKeys.datasetManifest(datasetId, 2), Map.of("datasetId", datasetId, "version", 2));

        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, jobId,
                new DatasetVersionRef(datasetId, 2), List.of("variations"), Map.of("n", 2))));
        awaitQuiet();

        assertEquals(List.of(), kafka.records(Topics.AUGMENTATION_EVENTS, jobId));
    }

    @Test
    void poisonAndIncompleteRecordsAreDeadLetteredAndTheConsumerCarriesOn() {
        String poisonKey = "poison-" + UUID.randomUUID();
        String incompleteKey = "incomplete-" + UUID.randomUUID();

        kafka.send(Topics.AUGMENTATION_COMMANDS, poisonKey, "not json at all", Map.of());
        kafka.send(Topics.AUGMENTATION_COMMANDS, incompleteKey, "{\"jobId\":\"" + incompleteKey + "\"}", Map.of());
        awaitQuiet();

        String poisonReason = KafkaTestClient.header(kafka.awaitRecord(DLQ, poisonKey), "dead-letter-reason");
        assertTrue(poisonReason.startsWith("Record value is not JSON"), poisonReason);
        String incompleteReason = KafkaTestClient.header(kafka.awaitRecord(DLQ, incompleteKey), "dead-letter-reason");
        assertTrue(incompleteReason.contains("'source'") && incompleteReason.contains("'operations'"),
                incompleteReason);
    }

    private static String jobId(String what) {
        return "aug-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Commands are handled in order on one partition: once a marker is answered, everything before it was handled. */
    private void awaitQuiet() {
        String marker = jobId("marker");
        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, marker,
                new DatasetVersionRef("ds-marker-absent", 1), List.of("paraphrase"), null)));
        kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, marker);
    }
}
