package io.tuneforge.data.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Import commands through the real broker and S3; answers on {@code tuneforge.dataset.events}. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetCommandsTest {

    private static final String DLQ = Topics.dlq(Topics.DATASET_COMMANDS);

    @Inject
    ArtifactStore store;

    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(), Topics.DATASET_EVENTS, DLQ);
    }

    @AfterAll
    void tearDown() {
        kafka.close();
    }

    @Test
    void importOfAMissingSourceIsRejectedNamingTheUri() {
        String datasetId = datasetId("missing");
        String uri = "s3://tuneforge/uploads/" + datasetId + "/nowhere.jsonl";

        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test", new DatasetImportRequested(1, datasetId, uri, null)));

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId);
        assertEquals("io.tuneforge.dataset.rejected", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        assertEquals("/tuneforge/data-service", KafkaTestClient.header(record, CloudEventsKafka.H_SOURCE));
        DatasetRejected rejected = Json.read(record.value(), DatasetRejected.class);
        assertEquals(uri, rejected.sourceUri());
        assertTrue(rejected.reason().contains(uri + " does not exist"), rejected.reason());
        assertEquals(List.of("sourceUri"), rejected.errors().stream().map(FieldError::path).toList());
    }

    @Test
    void plainJsonImportWithABadIdAndANonS3SourceIsRejectedNamingBoth() {
        String key = "bad-" + UUID.randomUUID();

        kafka.send(Topics.DATASET_COMMANDS, key, "{\"datasetId\":\"" + key + "/..\",\"sourceUri\":\"/tmp/x.jsonl\"}",
                Map.of());

        DatasetRejected rejected = Json.read(kafka.awaitRecord(Topics.DATASET_EVENTS, key + "/..").value(),
                DatasetRejected.class);
        assertEquals(List.of("datasetId", "sourceUri"), rejected.errors().stream().map(FieldError::path).toList());
        assertTrue(rejected.errors().get(1).reason().contains("'/tmp/x.jsonl' is not an S3 URI"),
                rejected.errors().get(1).reason());
    }

    @Test
    void importOfAnExistingSourceEmitsNothingUntilThePipelineExists() {
        String datasetId = datasetId("present");
        String key = "uploads/" + datasetId + "/train.jsonl";
        store.putBytes(key, "{\"instruction\":\"hi\",\"output\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");

        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, store.uri(key).toString(), null)));
        awaitQuiet();

        assertEquals(List.of(), kafka.records(Topics.DATASET_EVENTS, datasetId), "no DatasetPrepared is faked");
    }

    @Test
    void sameEventTwiceIsAnsweredOnce() {
        String datasetId = datasetId("twice");
        EventEnvelope<DatasetImportRequested> event = EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, "s3://tuneforge/uploads/none.jsonl", null));

        kafka.send(Topics.DATASET_COMMANDS, event);
        kafka.send(Topics.DATASET_COMMANDS, event);
        kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId);
        awaitQuiet();

        assertEquals(1, kafka.records(Topics.DATASET_EVENTS, datasetId).size());
    }

    @Test
    void poisonRecordIsDeadLetteredAndTheNextCommandIsStillHandled() {
        String poisonKey = "poison-" + UUID.randomUUID();
        String datasetId = datasetId("after-poison");

        kafka.send(Topics.DATASET_COMMANDS, poisonKey, "<xml/>", Map.of());
        kafka.send(Topics.DATASET_COMMANDS, null, "{\"datasetId\":\"" + datasetId + "\"}", Map.of());
        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, "s3://tuneforge/uploads/none.jsonl", null)));

        ConsumerRecord<String, String> dead = kafka.awaitRecord(DLQ, poisonKey);
        String reason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertTrue(reason != null && reason.startsWith("Record value is not JSON"), "reason: " + reason);
        ConsumerRecord<String, String> missingField = kafka.awaitRecord("dead letter naming sourceUri",
                r -> r.topic().equals(DLQ) && r.value().contains(datasetId));
        assertTrue(KafkaTestClient.header(missingField, "dead-letter-reason").contains("'sourceUri'"),
                KafkaTestClient.header(missingField, "dead-letter-reason"));
        kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId);
    }

    private static String datasetId(String what) {
        return "ds-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Commands are handled in order on one partition: once a marker is answered, everything before it was handled. */
    private void awaitQuiet() {
        String marker = datasetId("marker");
        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, marker, "s3://tuneforge/uploads/marker-none.jsonl", null)));
        kafka.awaitRecord(Topics.DATASET_EVENTS, marker);
    }
}
