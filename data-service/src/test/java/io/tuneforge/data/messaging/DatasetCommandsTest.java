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
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.service.DatasetImport;
import io.tuneforge.data.testing.TestDatasets;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Import commands through the real broker and S3: the pipeline runs on the source; answers on {@code tuneforge.dataset.events}. */
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

    @Inject
    DatasetImport imports;

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
    void importOfAnExistingSourceRunsThePipelineAndEmitsDatasetPrepared() {
        String datasetId = datasetId("present");
        String key = "uploads/" + datasetId + "/train.jsonl";
        store.putBytes(key, TestDatasets.utf8(TestDatasets.jsonl(TestDatasets.instructions(10, 21))
                + "not json\n"), "application/x-ndjson");

        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, store.uri(key).toString(), Map.of("evalCount", 2))));

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId);
        assertEquals("io.tuneforge.dataset.prepared", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE),
                record.value());
        DatasetPrepared prepared = Json.read(record.value(), DatasetPrepared.class);
        assertEquals(1, prepared.version());
        assertEquals("import", prepared.source());
        assertEquals(Map.of("input", 11L, "train", 8L, "eval", 2L, "rejected", 1L), prepared.counts());
        assertEquals(store.uri(ObjectKeys.datasetManifest(datasetId, 1)).toString(), prepared.manifest().uri());
        assertEquals(store.stat(ObjectKeys.datasetFile(datasetId, 1, ObjectKeys.TRAIN_FILE)).orElseThrow().sha256(),
                prepared.train().sha256());
        Map<?, ?> input = (Map<?, ?>) store.getJson(ObjectKeys.datasetManifest(datasetId, 1), Map.class).get("input");
        assertEquals(store.uri(key).toString(), input.get("name"));
    }

    @Test
    void importOfAnEmptySourceIsRejectedWithTheReasonAndNothingIsWritten() {
        String datasetId = datasetId("empty");
        String key = "uploads/" + datasetId + "/empty.jsonl";
        store.putBytes(key, new byte[0], "application/x-ndjson");

        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, store.uri(key).toString(), null)));

        DatasetRejected rejected = Json.read(kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId).value(),
                DatasetRejected.class);
        assertTrue(rejected.reason().startsWith("EMPTY_INPUT: "), rejected.reason());
        assertEquals(List.of("sourceUri"), rejected.errors().stream().map(FieldError::path).toList());
        assertEquals(List.of(), TestDatasets.keysUnder(store, datasetId));
    }

    @Test
    void importWithBadSettingsIsRejectedNamingEveryOne() {
        String datasetId = datasetId("settings");
        String key = "uploads/" + datasetId + "/train.jsonl";
        store.putBytes(key, TestDatasets.utf8(TestDatasets.jsonl(TestDatasets.instructions(3, 22))),
                "application/x-ndjson");
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("evalRatio", 2);
        settings.put("redact", true);
        settings.put("stripHtml", "yes");

        kafka.send(Topics.DATASET_COMMANDS, EventEnvelope.of("/test",
                new DatasetImportRequested(1, datasetId, store.uri(key).toString(), settings)));

        DatasetRejected rejected = Json.read(kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId).value(),
                DatasetRejected.class);
        assertTrue(rejected.reason().startsWith("INVALID_SETTINGS: 3 invalid settings"), rejected.reason());
        assertEquals(List.of("settings.evalRatio", "settings.redact", "settings.stripHtml"),
                rejected.errors().stream().map(FieldError::path).toList());
        assertTrue(rejected.errors().get(1).reason().contains("did you mean 'redactPii'?"), rejected.errors().get(1).reason());
    }

    @Test
    void anImportRedeliveredAfterARestartSendsItsEventAgainInsteadOfASecondVersion() {
        String datasetId = datasetId("redelivered");
        String key = "uploads/" + datasetId + "/train.jsonl";
        store.putBytes(key, TestDatasets.utf8(TestDatasets.jsonl(TestDatasets.instructions(5, 23))),
                "application/x-ndjson");
        DatasetImportRequested command = new DatasetImportRequested(1, datasetId, store.uri(key).toString(), null);
        String eventId = "tuneforge.dataset.commands-0-" + System.nanoTime();

        imports.handle(eventId, command);   // the in-memory processed-event log is bypassed, as after a restart
        imports.handle(eventId, command);

        ConsumerRecord<String, String> first = kafka.awaitRecord(Topics.DATASET_EVENTS, datasetId);
        kafka.awaitRecord("the second DatasetPrepared", r -> datasetId.equals(r.key()) && r.offset() > first.offset());
        List<DatasetPrepared> events = kafka.records(Topics.DATASET_EVENTS, datasetId).stream()
                .map(r -> Json.read(r.value(), DatasetPrepared.class)).toList();
        assertEquals(List.of(1, 1), events.stream().map(DatasetPrepared::version).toList());
        assertEquals(events.get(0), events.get(1));
        assertTrue(store.exists(ObjectKeys.datasetManifest(datasetId, 1)));
        assertFalse(store.exists(ObjectKeys.datasetManifest(datasetId, 2)));
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
