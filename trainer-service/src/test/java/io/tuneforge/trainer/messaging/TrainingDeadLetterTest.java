package io.tuneforge.trainer.messaging;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.trainer.TrainerTestSupport;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records that cannot be answered go to {@code tuneforge.training.commands.dlq} with the reason; the consumer carries on. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingDeadLetterTest {

    private static final String DLQ = Topics.dlq(Topics.TRAINING_COMMANDS);

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
    void poisonRecordIsDeadLetteredAndTheNextGoodRecordIsStillProcessed() {
        String poisonKey = "poison-" + UUID.randomUUID();
        String runId = TrainerTestSupport.runId("after-poison");

        kafka.send(Topics.TRAINING_COMMANDS, poisonKey, "this is not { json", Map.of());
        kafka.send(Topics.TRAINING_COMMANDS, runId, TrainerTestSupport.validRequest(runId, store), Map.of());

        ConsumerRecord<String, String> dead = kafka.awaitRecord(DLQ, poisonKey);
        assertEquals("this is not { json", dead.value());
        String reason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertTrue(reason != null && reason.startsWith("Record value is not JSON"), "reason: " + reason);
        assertEquals(Topics.TRAINING_COMMANDS, KafkaTestClient.header(dead, "dead-letter-topic"));

        ConsumerRecord<String, String> answer = kafka.awaitRecord(Topics.TRAINING_EVENTS, runId);
        assertEquals(runId, TrainerTestSupport.payload(answer, TrainingQueued.class).runId());
    }

    @Test
    void cancelWithoutRunIdIsDeadLetteredNamingTheField() {
        String key = "cancel-no-run-" + UUID.randomUUID();
        Map<String, String> headers = Map.of(CloudEventsKafka.H_SPEC_VERSION, "1.0",
                CloudEventsKafka.H_ID, UUID.randomUUID().toString(), CloudEventsKafka.H_SOURCE, "/test",
                CloudEventsKafka.H_TYPE, "io.tuneforge.training.cancel-requested");

        kafka.send(Topics.TRAINING_COMMANDS, key, "{\"schemaVersion\":1,\"reason\":\"stop it\"}", headers);

        ConsumerRecord<String, String> dead = kafka.awaitRecord(DLQ, key);
        String reason = KafkaTestClient.header(dead, "dead-letter-reason");
        assertTrue(reason != null && reason.contains("runId"), "reason: " + reason);
    }

    @Test
    void jsonThatIsNotAnObjectIsDeadLettered() {
        String key = "array-" + UUID.randomUUID();

        kafka.send(Topics.TRAINING_COMMANDS, key, "[1, 2, 3]", Map.of());

        String reason = KafkaTestClient.header(kafka.awaitRecord(DLQ, key), "dead-letter-reason");
        assertEquals("Expected a JSON object as the record value, got array", reason);
    }

    @Test
    void eventTypeOfAnotherTopicIsDeadLettered() {
        String key = "wrong-type-" + UUID.randomUUID();
        Map<String, String> headers = Map.of(CloudEventsKafka.H_SPEC_VERSION, "1.0",
                CloudEventsKafka.H_ID, UUID.randomUUID().toString(), CloudEventsKafka.H_SOURCE, "/test",
                CloudEventsKafka.H_TYPE, "io.tuneforge.dataset.import-requested");

        kafka.send(Topics.TRAINING_COMMANDS, key, "{\"schemaVersion\":1,\"datasetId\":\"ds-1\","
                + "\"sourceUri\":\"s3://tuneforge/uploads/x.jsonl\"}", headers);

        String reason = KafkaTestClient.header(kafka.awaitRecord(DLQ, key), "dead-letter-reason");
        assertTrue(reason.contains("does not belong on tuneforge.training.commands"), reason);
    }
}
