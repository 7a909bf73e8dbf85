package io.tuneforge.trainer.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStarted;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.trainer.RunEvents;
import io.tuneforge.trainer.TrainerTestSupport;
import io.tuneforge.trainer.persistence.RunState;
import io.tuneforge.trainer.service.RunAdmission;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tuneforge.trainer.TrainerTestSupport.payload;
import static io.tuneforge.trainer.TrainerTestSupport.runId;
import static io.tuneforge.trainer.TrainerTestSupport.validRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training requests and cancels through the real broker and S3, answered on {@code tuneforge.training.events}. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingCommandsTest {

    @Inject
    ArtifactStore store;

    private KafkaTestClient kafka;

    @BeforeAll
    void setUp() {
        kafka = TrainerTestSupport.kafka();
        TrainerTestSupport.storeFixtures(store);
    }

    @AfterAll
    void tearDown() {
        kafka.close();
    }

    @Test
    void missingDatasetIsAnsweredWithDatasetNotFoundNamingIt() {
        String runId = runId("missing-dataset");
        String json = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/tiny-llama/\","
                + "\"dataset\":{\"id\":\"ds-nowhere\",\"version\":3}}";

        kafka.send(Topics.TRAINING_COMMANDS, null, json, Map.of());

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        assertEquals("io.tuneforge.training.failed", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        TrainingFailed failed = payload(record, TrainingFailed.class);
        assertEquals(TrainingErrorCode.DATASET_NOT_FOUND, failed.errorCode());
        assertTrue(failed.message().contains("'ds-nowhere' version 3"), failed.message());
        assertTrue(failed.message().contains("s3://tuneforge/datasets/ds-nowhere/v3/manifest.json"), failed.message());
        assertTrue(failed.message().contains("data-service"), failed.message());
        assertEquals(TrainingStatus.FAILED, state(runId).status());
    }

    @Test
    void missingBaseModelIsAnsweredWithBaseModelNotFound() {
        String runId = runId("missing-model");
        String json = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/not-uploaded/\","
                + "\"dataset\":{\"id\":\"ds-support\",\"version\":1}}";

        kafka.send(Topics.TRAINING_COMMANDS, null, json, Map.of());

        TrainingFailed failed = payload(kafka.awaitRecord(Topics.TRAINING_EVENTS, runId), TrainingFailed.class);
        assertEquals(TrainingErrorCode.BASE_MODEL_NOT_FOUND, failed.errorCode());
        assertTrue(failed.message().contains("s3://tuneforge/models/not-uploaded/config.json"), failed.message());
    }

    @Test
    void requestWithSeveralBadFieldsGetsOneFailureListingEveryOne() {
        String runId = runId("bad-fields");
        String json = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/tiny-llama/\","
                + "\"dataset\":{\"id\":\"ds-support\",\"version\":0},"
                + "\"lora\":{\"r\":0},"
                + "\"hyperparameters\":{\"epochs\":\"three\",\"learningRate\":-1}}";

        kafka.send(Topics.TRAINING_COMMANDS, null, json, Map.of());

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        TrainingFailed failed = payload(record, TrainingFailed.class);
        assertEquals(TrainingErrorCode.INVALID_REQUEST, failed.errorCode());
        List<String> paths = failed.fieldErrors().stream().map(FieldError::path).toList();
        assertTrue(paths.containsAll(List.of("dataset.version", "lora.r", "hyperparameters.epochs",
                "hyperparameters.learningRate")), paths.toString());
        assertTrue(failed.message().contains(failed.fieldErrors().size() + " invalid fields"), failed.message());
        awaitQuiet();
        assertEquals(1, kafka.records(Topics.TRAINING_EVENTS, runId).size());
    }

    @Test
    void localDatasetPathIsRefusedByThePlatform() {
        String runId = runId("local-path");
        String json = "{\"runId\":\"" + runId + "\",\"baseModel\":\"s3://tuneforge/models/tiny-llama/\","
                + "\"dataset\":{\"path\":\"train.jsonl\"}}";

        kafka.send(Topics.TRAINING_COMMANDS, null, json, Map.of());

        TrainingFailed failed = payload(kafka.awaitRecord(Topics.TRAINING_EVENTS, runId), TrainingFailed.class);
        assertEquals(TrainingErrorCode.INVALID_REQUEST, failed.errorCode());
        assertEquals("dataset.path", failed.fieldErrors().get(0).path());
        assertTrue(failed.fieldErrors().get(0).reason().contains("needs dataset.id and dataset.version"),
                failed.fieldErrors().get(0).reason());
    }

    @Test
    void validRequestIsQueuedWithStateAndRequestInTheStore() {
        String runId = runId("valid");

        kafka.send(Topics.TRAINING_COMMANDS, null, validRequest(runId, store), Map.of());

        ConsumerRecord<String, String> record = kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        assertEquals("io.tuneforge.training.queued", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE));
        assertEquals("/tuneforge/trainer-service", KafkaTestClient.header(record, CloudEventsKafka.H_SOURCE));
        TrainingQueued queued = payload(record, TrainingQueued.class);
        assertEquals(runId, queued.runId());
        assertEquals(1, queued.request().hyperparameters().epochs());
        assertEquals(2e-4, queued.request().hyperparameters().learningRate(), "defaults are filled in");
        assertEquals("tiny-llama-tuned", queued.request().modelName());

        RunState state = state(runId);
        // admitted as queued; this replica's free slot may have claimed it since
        assertTrue(List.of(TrainingStatus.QUEUED, TrainingStatus.RUNNING, TrainingStatus.SUCCEEDED)
                .contains(state.status()), state.toString());
        assertTrue(state.createdAt().isBefore(Instant.now().plusSeconds(1)));
        assertTrue(state.requestEventId().startsWith(Topics.TRAINING_COMMANDS + "-"), state.requestEventId());
        TrainingRequest stored = store.getJson(ObjectKeys.runRequest(runId), TrainingRequest.class);
        assertEquals(queued.request(), stored);
    }

    @Test
    void sameEventDeliveredTwiceGetsOneAnswer() {
        // CloudEvents mode without runId: the run id is derived from the event id, so both copies name one run.
        String eventId = UUID.randomUUID().toString();
        String runId = RunAdmission.generatedRunId(eventId);
        String json = validRequest("x", store).replace("\"runId\":\"x\",", "");
        Map<String, String> headers = Map.of(CloudEventsKafka.H_SPEC_VERSION, "1.0", CloudEventsKafka.H_ID, eventId,
                CloudEventsKafka.H_SOURCE, "/test", CloudEventsKafka.H_TYPE, "io.tuneforge.training.requested");

        kafka.send(Topics.TRAINING_COMMANDS, null, json, headers);
        kafka.send(Topics.TRAINING_COMMANDS, null, json, headers);

        kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        awaitQuiet();
        assertEquals(List.of("queued"), answers(runId), "one admission; the run may train meanwhile");
    }

    @Test
    void samePlainRequestSentTwiceIsNotQueuedTwice() {
        // Plain JSON records at two offsets are two events; the run's state.json is what stops the second.
        String runId = runId("twice");
        kafka.send(Topics.TRAINING_COMMANDS, null, validRequest(runId, store), Map.of());
        kafka.send(Topics.TRAINING_COMMANDS, null, validRequest(runId, store), Map.of());

        kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        awaitQuiet();
        assertEquals(List.of("queued"), answers(runId), "one admission; the run may train meanwhile");
    }

    @Test
    void cancelOfAQueuedRunCancelsItOnceAndCancelOfAnUnknownRunSaysNothing() {
        // the replica's one training slot is taken by a long run, so the second run waits in the queue
        String busy = runId("busy");
        kafka.send(Topics.TRAINING_COMMANDS, null, TrainerTestSupport.smallRequest(busy, store,
                TrainerTestSupport.DATASET, "", 100, 0), Map.of());
        new RunEvents(kafka, busy).await("started", TrainingStarted.class);
        String runId = runId("cancel");
        kafka.send(Topics.TRAINING_COMMANDS, null, validRequest(runId, store), Map.of());
        kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);

        kafka.send(Topics.TRAINING_COMMANDS, EventEnvelope.of("/test", TrainingCancelRequested.of(runId, "wrong data")));
        kafka.send(Topics.TRAINING_COMMANDS, EventEnvelope.of("/test", TrainingCancelRequested.of(runId, "again")));
        String unknown = runId("never-submitted");
        kafka.send(Topics.TRAINING_COMMANDS, EventEnvelope.of("/test", TrainingCancelRequested.of(unknown, "?")));

        TrainingCancelled payload = new RunEvents(kafka, runId).await("cancelled", TrainingCancelled.class);
        assertEquals("wrong data", payload.reason());
        assertEquals(0, payload.step());
        assertNull(payload.lastCheckpoint());
        assertEquals(TrainingStatus.CANCELLED, state(runId).status());

        awaitQuiet();
        assertEquals(List.of("queued", "cancelled"), answers(runId), "queued + one cancelled, never started");
        assertEquals(0, kafka.records(Topics.TRAINING_EVENTS, unknown).size());
        assertTrue(store.stat(ObjectKeys.runState(unknown)).isEmpty(), "a cancel does not create a run");

        kafka.send(Topics.TRAINING_COMMANDS, EventEnvelope.of("/test", TrainingCancelRequested.of(busy, "done")));
        new RunEvents(kafka, busy).await("cancelled", TrainingCancelled.class);
    }

    private List<String> answers(String runId) {
        return new RunEvents(kafka, runId).types().stream()
                .filter(t -> !List.of("started", "progress", "checkpointed", "completed").contains(t)).toList();
    }

    private RunState state(String runId) {
        return store.getJson(ObjectKeys.runState(runId), RunState.class);
    }

    /**
     * Waits until every command sent so far has been handled: commands are handled in order on the one partition,
     * so once a marker request sent now is answered, nothing sent earlier is still in flight.
     */
    private void awaitQuiet() {
        String marker = runId("marker");
        kafka.send(Topics.TRAINING_COMMANDS, null, "{\"runId\":\"" + marker + "\"}", Map.of());
        kafka.awaitRecord(Topics.TRAINING_EVENTS, marker);
    }
}
