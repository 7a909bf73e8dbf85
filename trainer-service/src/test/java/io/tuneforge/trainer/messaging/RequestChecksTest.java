package io.tuneforge.trainer.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.trainer.RunEvents;
import io.tuneforge.trainer.TrainerTestSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static io.tuneforge.trainer.TrainerTestSupport.runId;
import static io.tuneforge.trainer.TrainerTestSupport.smallRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What admission refuses although the request is well formed: data of the wrong format for the method, a run that
 * cannot fit in memory — each answered with one {@code TrainingFailed} that names the problem and what would be
 * right — and what it queues.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestChecksTest {

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

    private TrainingFailed failure(String runId, String json) {
        kafka.send(Topics.TRAINING_COMMANDS, null, json, Map.of());
        return new RunEvents(kafka, runId).await("failed", TrainingFailed.class);
    }

    @Test
    void dpoOnInstructionDataIsAFormatMismatch() {
        String runId = runId("dpo-instructions");
        TrainingFailed failed = failure(runId, smallRequest(runId, store, TrainerTestSupport.DATASET,
                "\"method\":\"dpo\"", 1, 0));

        assertEquals(TrainingErrorCode.DATASET_FORMAT_MISMATCH, failed.errorCode());
        assertTrue(failed.message().contains("holds instruction records"), failed.message());
        assertTrue(failed.message().contains("needs preference records (prompt, chosen, rejected)"),
                failed.message());
        assertEquals("method", failed.fieldErrors().get(0).path());
    }

    @Test
    void aRunThatCannotFitInMemoryIsRefusedWithTheEstimate() {
        String runId = runId("too-big");
        String json = smallRequest(runId, store, TrainerTestSupport.DATASET, "", 1, 0)
                .replace("\"batchSize\":4", "\"batchSize\":4096").replace("\"maxSeqLength\":64",
                        "\"maxSeqLength\":131072");
        TrainingFailed failed = failure(runId, json);

        assertEquals(TrainingErrorCode.INSUFFICIENT_MEMORY, failed.errorCode());
        assertTrue(failed.message().contains("activations"), failed.message());
        assertTrue(failed.message().contains("batchSize (now 4096)"), failed.message());
    }

    @Test
    void dpoOnPreferenceDataIsQueued() {
        String runId = runId("dpo-queued");
        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.PREFERENCES,
                "\"method\":\"dpo\"", 1, 0), Map.of());

        TrainingQueued queued = new RunEvents(kafka, runId).await("queued", TrainingQueued.class);
        assertEquals("dpo", queued.request().method().wireName());
    }
}
