package io.tuneforge.eval.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.eval.service.EvaluationPlan;
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

/** Evaluation commands and training events through the real broker and S3; answers on the evaluation events. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.evaluation.commands,tuneforge.evaluation.commands.dlq,"
                + "tuneforge.evaluation.events,tuneforge.training.events,tuneforge.training.events.dlq")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationTest {

    private static final String DLQ = Topics.dlq(Topics.EVALUATION_COMMANDS);
    private static final String MODEL = "models/eval-base/";
    private static final DatasetVersionRef DATASET = new DatasetVersionRef("ds-eval", 1);

    @Inject
    ArtifactStore store;

    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(),
                Topics.EVALUATION_EVENTS, DLQ, Topics.dlq(Topics.TRAINING_EVENTS));
        store.putBytes(MODEL + "config.json", "{\"hidden_size\":64}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.putJson(ObjectKeys.datasetManifest(DATASET.datasetId(), DATASET.version()), Map.of("version", 1));
    }

    @AfterAll
    void tearDown() {
        kafka.close();
    }

    @Test
    void requestForAMissingBaseModelFailsNamingIt() {
        String evalId = id("eval-no-base");

        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId, null,
                "s3://tuneforge/models/never-imported/", null, DATASET, List.of("rougeL"), 10, 32)));

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.EVALUATION_EVENTS, evalId);
        assertEquals("io.tuneforge.evaluation.failed", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        EvaluationFailed failed = Json.read(record.value(), EvaluationFailed.class);
        assertEquals("BASE_MODEL_NOT_FOUND", failed.errorCode());
        assertTrue(failed.message().contains("s3://tuneforge/models/never-imported/config.json"), failed.message());
    }

    @Test
    void requestForAMissingAdapterFailsWithAdapterNotFound() {
        String evalId = id("eval-no-adapter");
        String adapter = "s3://tuneforge/runs/run-gone/adapter/";

        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId, "run-gone",
                store.uri(MODEL).toString(), adapter, DATASET, null, null, null)));

        EvaluationFailed failed = Json.read(kafka.awaitRecord(Topics.EVALUATION_EVENTS, evalId).value(),
                EvaluationFailed.class);
        assertEquals("ADAPTER_NOT_FOUND", failed.errorCode());
        assertEquals("run-gone", failed.runId());
        assertTrue(failed.message().contains(adapter + "adapter_config.json"), failed.message());
    }

    @Test
    void requestWhoseModelsAndDataExistIsAcceptedWithoutAFakeResult() {
        String evalId = id("eval-ready");
        String adapter = "runs/run-ready/adapter/";
        store.putJson(adapter + "adapter_config.json", Map.of("r", 8, "lora_alpha", 16));

        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId,
                "run-ready", store.uri(MODEL).toString(), store.uri(adapter).toString(), DATASET, null, null, null)));
        awaitCommandsQuiet();

        assertEquals(List.of(), kafka.records(Topics.EVALUATION_EVENTS, evalId));
    }

    @Test
    void trainingCompletedWithAMissingAdapterFailsItsEvaluationAndOtherTrainingEventsAreIgnored() {
        String runId = id("run-done");
        String queuedRun = id("run-only-queued");
        TrainingRequest request = request(queuedRun);

        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", TrainingQueued.of(request)));
        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", completed(runId)));

        String evalId = EvaluationPlan.evalIdOfRun(runId);
        EvaluationFailed failed = Json.read(kafka.awaitRecord(Topics.EVALUATION_EVENTS, evalId).value(),
                EvaluationFailed.class);
        assertEquals(runId, failed.runId());
        assertEquals("ADAPTER_NOT_FOUND", failed.errorCode());
        assertEquals(List.of(), kafka.records(Topics.EVALUATION_EVENTS, EvaluationPlan.evalIdOfRun(queuedRun)));
    }

    @Test
    void poisonCommandIsDeadLetteredAndTheNextCommandIsStillHandled() {
        String poisonKey = "poison-" + UUID.randomUUID();
        String evalId = id("eval-after-poison");

        kafka.send(Topics.EVALUATION_COMMANDS, poisonKey, "{{{", Map.of());
        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId, null,
                "s3://tuneforge/models/never-imported/", null, DATASET, null, null, null)));

        String reason = KafkaTestClient.header(kafka.awaitRecord(DLQ, poisonKey), "dead-letter-reason");
        assertTrue(reason.startsWith("Record value is not JSON"), reason);
        kafka.awaitRecord(Topics.EVALUATION_EVENTS, evalId);
    }

    @Test
    void trainingEventWithoutCloudEventsHeadersIsDeadLettered() {
        String key = "plain-" + UUID.randomUUID();

        kafka.send(Topics.TRAINING_EVENTS, key, "{\"runId\":\"" + key + "\"}", Map.of());

        String reason = KafkaTestClient.header(kafka.awaitRecord(Topics.dlq(Topics.TRAINING_EVENTS), key),
                "dead-letter-reason");
        assertEquals("Expected record header 'ce_type' not present", reason);
    }

    private TrainingRequest request(String runId) {
        return Json.read("{\"runId\":\"" + runId + "\",\"baseModel\":\"" + store.uri(MODEL) + "\",\"dataset\":"
                + "{\"id\":\"" + DATASET.datasetId() + "\",\"version\":1}}", TrainingRequest.class).withDefaults();
    }

    private TrainingCompleted completed(String runId) {
        return new TrainingCompleted(1, runId, request(runId),
                ArtifactRef.prefix(store.uri(ObjectKeys.runAdapter(runId)).toString()), null, null,
                Map.of("trainLoss", 1.25), 4096, 8, 12.5);
    }

    private static String id(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Commands are handled in order on one partition: once a marker is answered, everything before it was handled. */
    private void awaitCommandsQuiet() {
        String marker = id("eval-marker");
        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, marker, null,
                "s3://tuneforge/models/never-imported/", null, DATASET, null, null, null)));
        kafka.awaitRecord(Topics.EVALUATION_EVENTS, marker);
    }
}
