package io.tuneforge.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import io.tuneforge.registry.persistence.ProcessedEventRepository;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunEventRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.failed;
import static io.tuneforge.registry.TestEvents.prepared;
import static io.tuneforge.registry.TestEvents.queued;
import static io.tuneforge.registry.TestEvents.started;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One event, one transaction, on the real database; without the broker, so each outcome is seen directly. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class EventProcessorTest {

    @Inject
    EventProcessor processor;

    @Inject
    RunRepository runs;

    @Inject
    RunEventRepository timeline;

    @Inject
    DatasetVersionRepository datasets;

    @Inject
    ProcessedEventRepository processed;

    @Test
    void aRedeliveredEventIdIsSkippedEvenWithOtherContent() {
        String runId = uniqueId("proc-dup");
        EventEnvelope<EventPayload> first = cast(event(failed(runId, "first"), Instant.now()));
        EventEnvelope<EventPayload> again = new EventEnvelope<>(first.id(), first.source(), first.type(),
                first.subject(), first.time(), failed(runId, "second"));

        assertEquals(EventOutcome.APPLIED, processor.process(first));
        assertEquals(EventOutcome.DUPLICATE, processor.process(again));
        assertEquals(EventOutcome.DUPLICATE, processor.process(first));

        assertEquals("first", read(() -> runs.findById(runId)).errorMessage);
        assertEquals(1, read(() -> timeline.timeline(runId)).size());
    }

    @Test
    void aFailedBeforeItsQueuedStaysFailedAndGetsTheRequest() {
        String runId = uniqueId("proc-ooo");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        processor.process(cast(event(failed(runId, "dataset gone"), t0.plusSeconds(1))));
        processor.process(cast(event(queued(runId), t0)));
        processor.process(cast(event(started(runId), t0.plusSeconds(2))));

        RunEntity run = read(() -> runs.findById(runId));
        assertEquals(TrainingStatus.FAILED, run.status);
        assertEquals("dataset gone", run.errorMessage);
        assertEquals("tiny-chat", run.modelName);
        assertEquals(t0, run.createdAt);
        assertEquals(t0.plusSeconds(2), run.updatedAt);
        assertEquals(List.of("io.tuneforge.training.queued", "io.tuneforge.training.failed",
                "io.tuneforge.training.started"), read(() -> timeline.timeline(runId)).stream().map(e -> e.type).toList());
    }

    @Test
    void eventsTheRegistryKeepsNothingOfAreRecordedAsProcessed() {
        String datasetId = uniqueId("proc-ds");
        EventEnvelope<EventPayload> rejected = cast(event(
                new DatasetRejected(1, datasetId, "s3://tuneforge/uploads/x.csv", "empty file", List.of()),
                Instant.now()));
        assertEquals(EventOutcome.IGNORED, processor.process(rejected));
        assertTrue(read(() -> processed.isProcessed(rejected.id())));
        assertTrue(read(() -> datasets.versions(datasetId)).isEmpty());
    }

    @Test
    void aDatasetVersionAnnouncedTwiceUnderTwoIdsKeepsTheFirst() {
        String datasetId = uniqueId("proc-ds");
        EventEnvelope<EventPayload> first = cast(event(prepared(datasetId, 1, null), Instant.now()));
        EventEnvelope<EventPayload> second = cast(event(prepared(datasetId, 1, null), Instant.now()));
        assertEquals(EventOutcome.APPLIED, processor.process(first));
        assertEquals(EventOutcome.IGNORED, processor.process(second));
        assertEquals(first.id(), read(() -> datasets.findVersion(datasetId, 1)).orElseThrow().eventId);
    }

    @SuppressWarnings("unchecked")
    private static EventEnvelope<EventPayload> cast(EventEnvelope<? extends EventPayload> e) {
        return (EventEnvelope<EventPayload>) e;
    }

    private static <T> T read(Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}
