package io.tuneforge.augment.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.augment.testing.LlmStub;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.augment.testing.TestDatasets;
import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
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

/**
 * Augmentation jobs through the real broker, S3 and the stub API: a command runs the job and answers with
 * DatasetPrepared (on {@code tuneforge.dataset.events}) and AugmentationCompleted; bad commands get AugmentationFailed
 * or go to the dead-letter topic.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AugmentationCommandsTest {

    private static final String DLQ = Topics.dlq(Topics.AUGMENTATION_COMMANDS);

    @Inject
    ArtifactStore store;

    private final LlmStub stub = LlmStub.connect();
    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(),
                Topics.AUGMENTATION_EVENTS, Topics.DATASET_EVENTS, DLQ);
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
    void aCommandRunsTheJobAndAnnouncesTheNewVersionBeforeTheCompletion() {
        String jobId = jobId("run");
        String instruction = "Name the planets of the solar system in order from the sun " + jobId + ".";
        DatasetVersionRef source = TestDatasets.publish(store, "ds-" + jobId, List.of(
                TestDatasets.record(instruction, "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune.")),
                List.of(TestDatasets.record("Which planet is largest?", "Jupiter.")));
        stub.answer("List, starting nearest the sun, every planet in our solar system " + jobId + ".",
                "Paraphrase the following English request", instruction);

        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, jobId,
                source, List.of("paraphrase"), Map.of())));

        ConsumerRecord<String, String> completedRecord = kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, jobId);
        assertEquals("io.tuneforge.augmentation.completed",
                KafkaTestClient.header(completedRecord, CloudEventsKafka.H_TYPE));
        AugmentationCompleted completed = Json.read(completedRecord.value(), AugmentationCompleted.class);
        assertEquals(new DatasetVersionRef(source.datasetId(), source.version() + 1), completed.result());
        assertEquals(1L, completed.counts().get("added"));
        ConsumerRecord<String, String> preparedRecord = kafka.awaitRecord(Topics.DATASET_EVENTS, source.datasetId());
        assertEquals("io.tuneforge.dataset.prepared", KafkaTestClient.header(preparedRecord, CloudEventsKafka.H_TYPE));
        assertTrue(preparedRecord.timestamp() <= completedRecord.timestamp(), "DatasetPrepared comes first");
        DatasetPrepared prepared = Json.read(preparedRecord.value(), DatasetPrepared.class);
        assertEquals("augmentation", prepared.source());
        assertEquals(source, prepared.parent());
        assertEquals(completed.result().version(), prepared.version());
        assertEquals(Map.of("input", 3L, "train", 2L, "eval", 1L, "rejected", 0L), prepared.counts());
        assertTrue(prepared.train().uri().endsWith("/v" + prepared.version() + "/train.jsonl"), prepared.train().uri());
        assertEquals(64, prepared.manifest().sha256().length());
    }

    @Test
    void aSourceWithoutItsTrainFileFailsWithDatasetNotFound() {
        String jobId = jobId("no-train");
        String datasetId = "ds-" + jobId;
        store.putJson(ObjectKeys.datasetManifest(datasetId, 2), Map.of("datasetId", datasetId, "version", 2));

        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, jobId,
                new DatasetVersionRef(datasetId, 2), List.of("variations"), Map.of("n", 2))));

        AugmentationFailed failed = Json.read(kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, jobId).value(),
                AugmentationFailed.class);
        assertEquals("DATASET_NOT_FOUND", failed.errorCode());
        assertTrue(failed.message().contains("train.jsonl"), failed.message());
    }

    @Test
    void badSettingsAreRefusedNamingEachOne() {
        String jobId = jobId("bad-settings");
        kafka.send(Topics.AUGMENTATION_COMMANDS, EventEnvelope.of("/test", new AugmentationRequested(1, jobId,
                new DatasetVersionRef("ds-any", 1), List.of("variations", "variations"),
                Map.of("n", 0, "temprature", 0.5, "pivotLanguage", "xx"))));

        AugmentationFailed failed = Json.read(kafka.awaitRecord(Topics.AUGMENTATION_EVENTS, jobId).value(),
                AugmentationFailed.class);
        assertEquals("INVALID_REQUEST", failed.errorCode());
        for (String expected : List.of("operations[1]: 'variations' is listed twice",
                "settings.n: expected an integer from 1 to 20, got 0",
                "settings.temprature: unknown setting; did you mean \"temperature\"?",
                "settings.pivotLanguage: expected one of en, zh")) {
            assertTrue(failed.message().contains(expected), failed.message());
        }
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
