package io.tuneforge.registry.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestEvents;
import io.tuneforge.registry.persistence.ProcessedEventRepository;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.tuneforge.registry.TestEvents.completed;
import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.failed;
import static io.tuneforge.registry.TestEvents.queued;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.started;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training events through the real broker into the real database. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class TrainingEventsConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static KafkaCompanion kafka;

    @Inject
    RunRepository runs;

    @Inject
    RunEventRepository timeline;

    @Inject
    ProcessedEventRepository processed;

    @BeforeAll
    static void connect() {
        kafka = TestEvents.companion();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void followsARunFromQueuedToSucceededWithItsTimeline() {
        String runId = uniqueId("run-ok");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(kafka,
                record(event(queued(runId), t0)),
                record(event(started(runId), t0.plusSeconds(1))),
                record(event(completed(runId), t0.plusSeconds(60))));

        RunEntity run = awaitRun(runId, r -> r.status == TrainingStatus.SUCCEEDED && types(runId).size() == 3);
        assertEquals("tiny-chat", run.modelName);
        assertEquals("s3://tuneforge/models/tiny-llama/", run.baseModel);
        assertEquals("ds-chat", run.datasetId);
        assertEquals(1, run.datasetVersion);
        assertEquals(t0, run.createdAt);
        assertEquals(t0.plusSeconds(60), run.updatedAt);
        assertEquals(List.of("io.tuneforge.training.queued", "io.tuneforge.training.started",
                "io.tuneforge.training.completed"), types(runId));
    }

    @Test
    void theSameEventIdTwiceChangesNothingTheSecondTime() {
        String runId = uniqueId("run-dup");
        EventEnvelope<TrainingFailed> first = event(failed(runId, "dataset ds-a/v1 does not exist"),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        // Same id, other content: only a skipped redelivery leaves the first message in place.
        EventEnvelope<TrainingFailed> redelivered = new EventEnvelope<>(first.id(), first.source(), first.type(),
                first.subject(), first.time().plusSeconds(5), failed(runId, "a different message"));
        String marker = uniqueId("run-marker");
        try (ConsumerTask<String, String> dlq = deadLetters()) {
            send(kafka, record(first), record(redelivered), record(event(started(marker), Instant.now())));

            // One partition: once the marker is in, the redelivery sent before it has been handled...
            awaitRun(marker, r -> true);
            // ...as a skip, not as a failed insert that went to the dead-letter topic.
            await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
            assertTrue(dlq.stream().noneMatch(r -> runId.equals(r.key())), "the redelivery was dead-lettered");
        }
        RunEntity run = read(() -> runs.findById(runId));
        assertEquals(TrainingStatus.FAILED, run.status);
        assertEquals("dataset ds-a/v1 does not exist", run.errorMessage);
        assertEquals(first.time(), run.updatedAt);
        assertEquals(List.of(first.id()), read(() -> timeline.timeline(runId)).stream().map(e -> e.eventId).toList());
        assertTrue(read(() -> processed.isProcessed(first.id())));
    }

    @Test
    void aFailedSeenBeforeItsQueuedLeavesTheRunFailedWithTheRequestFilledIn() {
        String runId = uniqueId("run-ooo");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(kafka,
                record(event(failed(runId, "dataset ds-chat/v1 does not exist"), t0.plusSeconds(2))),
                record(event(queued(runId), t0)));

        RunEntity run = awaitRun(runId, r -> r.request != null);
        assertEquals(TrainingStatus.FAILED, run.status);
        assertEquals("DATASET_NOT_FOUND", run.errorCode);
        assertEquals("dataset ds-chat/v1 does not exist", run.errorMessage);
        assertEquals("tiny-chat", run.modelName);
        assertEquals(t0, run.createdAt);
        // The timeline is in event time order, not arrival order.
        assertEquals(List.of("io.tuneforge.training.queued", "io.tuneforge.training.failed"), types(runId));
    }

    @Test
    void aLateStartedNeverMovesAFinishedRunBackToRunning() {
        String runId = uniqueId("run-late");
        Instant t0 = Instant.now();
        send(kafka,
                record(event(completed(runId), t0.plusSeconds(30))),
                record(event(started(runId), t0)),
                record(event(queued(runId), t0.minusSeconds(1))));

        RunEntity run = awaitRun(runId, r -> types(runId).size() == 3);
        assertEquals(TrainingStatus.SUCCEEDED, run.status);
    }

    @Test
    void aRecordMissingRequiredFieldsGoesToTheDeadLetterTopicAndTheNextOneIsStillApplied() {
        String badKey = uniqueId("bad");
        EventEnvelope<TrainingFailed> template = event(failed("x", "m"), Instant.now());
        Map<String, String> headers = new LinkedHashMap<>(CloudEventsKafka.encode(template).headers());
        // A TrainingFailed without runId: no one can tell which run failed.
        String value = Json.write(Map.of("schemaVersion", 1, "errorCode", "INTERNAL_ERROR", "message", "boom"));
        String goodRun = uniqueId("run-after-bad");

        try (ConsumerTask<String, String> dlq = deadLetters()) {
            send(kafka,
                    TestEvents.record(Topics.TRAINING_EVENTS, badKey, headers, value),
                    record(event(started(goodRun), Instant.now())));

            ConsumerRecord<String, String> dead = awaitDeadLetter(dlq, badKey);
            assertEquals(value, dead.value());
            String reason = KafkaCompanion.getHeader(dead.headers(), "dead-letter-reason");
            assertTrue(reason.contains("TrainingFailed") && reason.contains("runId"), reason);
            assertEquals(Topics.TRAINING_EVENTS, KafkaCompanion.getHeader(dead.headers(), "dead-letter-topic"));
        }
        assertEquals(TrainingStatus.RUNNING, awaitRun(goodRun, r -> true).status);
        assertFalse(read(() -> processed.isProcessed(template.id())), "a dead-lettered event is not recorded as processed");
    }

    @Test
    void aRecordThatIsNotJsonGoesToTheDeadLetterTopicWithTheReason() {
        String badKey = uniqueId("not-json");
        try (ConsumerTask<String, String> dlq = deadLetters()) {
            send(kafka, TestEvents.record(Topics.TRAINING_EVENTS, badKey, Map.of(), "this is not { json"));
            String reason = KafkaCompanion.getHeader(awaitDeadLetter(dlq, badKey).headers(), "dead-letter-reason");
            assertTrue(reason.contains("not JSON"), reason);
        }
    }

    private ConsumerTask<String, String> deadLetters() {
        return kafka.consumeStrings()
                .withGroupId(uniqueId("dlq-reader"))
                .withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.dlq(Topics.TRAINING_EVENTS));
    }

    private static ConsumerRecord<String, String> awaitDeadLetter(ConsumerTask<String, String> dlq, String key) {
        await().atMost(WAIT).until(() -> dlq.stream().anyMatch(r -> key.equals(r.key())));
        return dlq.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }

    private RunEntity awaitRun(String runId, Predicate<RunEntity> condition) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> read(() -> runs.findById(runId)), r -> r != null && condition.test(r));
    }

    private List<String> types(String runId) {
        return read(() -> timeline.timeline(runId)).stream().map(e -> e.type).toList();
    }

    /** Each read in its own transaction, so it sees what the consumer committed since the last one. */
    private static <T> T read(java.util.function.Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}
