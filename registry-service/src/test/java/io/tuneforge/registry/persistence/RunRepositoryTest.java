package io.tuneforge.registry.persistence;

import io.quarkus.test.TestTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repositories against the real, Flyway-migrated PostgreSQL; every test rolls back. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class RunRepositoryTest {

    /** Far in the future, so these rows come first in newest-first order whatever other tests committed. */
    private static final Instant FUTURE = Instant.parse("2900-01-01T00:00:00Z");

    @Inject
    RunRepository runs;

    @Inject
    RunEventRepository timeline;

    @Inject
    DatasetVersionRepository datasets;

    @Inject
    ProcessedEventRepository processed;

    @Test
    @TestTransaction
    void storesARunWithItsJsonColumnsAndReadsItBack() {
        String id = uniqueId("repo");
        RunEntity run = run(id, TrainingStatus.FAILED, FUTURE);
        run.errorCode = "INVALID_REQUEST";
        run.errorFields = "[{\"path\":\"hyperparameters.learningRate\",\"reason\":\"must be > 0, got -1\"}]";
        run.request = "{\"baseModel\":\"s3://tuneforge/models/tiny/\",\"metadata\":{\"team\":\"a\"}}";
        runs.persist(run);
        runs.flush();
        runs.getEntityManager().clear();

        RunEntity back = runs.findById(id);
        assertEquals(TrainingStatus.FAILED, back.status);
        assertEquals("INVALID_REQUEST", back.errorCode);
        assertTrue(back.request.contains("\"team\""), back.request);
        assertTrue(back.errorFields.contains("hyperparameters.learningRate"), back.errorFields);
        // Stored as the wire name, as the API and the status filter use it.
        Object raw = runs.getEntityManager().createNativeQuery("select status from run where run_id = ?1")
                .setParameter(1, id).getSingleResult();
        assertEquals("failed", raw);
    }

    @Test
    @TestTransaction
    void pagesNewestFirstAndFiltersByStatus() {
        String prefix = uniqueId("page");
        for (int i = 0; i < 5; i++) {
            TrainingStatus status = i % 2 == 0 ? TrainingStatus.CANCELLED : TrainingStatus.RUNNING;
            runs.persist(run(prefix + "-" + i, status, FUTURE.plusSeconds(i)));
        }
        runs.flush();

        PageResult<RunEntity> first = runs.page(null, 0, 2);
        assertEquals(List.of(prefix + "-4", prefix + "-3"), first.items().stream().map(r -> r.runId).toList());
        assertTrue(first.total() >= 5, "total " + first.total());
        assertEquals((int) ((first.total() + 1) / 2), first.totalPages());
        PageResult<RunEntity> second = runs.page(null, 1, 2);
        assertEquals(List.of(prefix + "-2", prefix + "-1"), second.items().stream().map(r -> r.runId).toList());

        PageResult<RunEntity> cancelled = runs.page(TrainingStatus.CANCELLED, 0, 3);
        assertEquals(List.of(prefix + "-4", prefix + "-2", prefix + "-0"),
                cancelled.items().stream().map(r -> r.runId).toList());
        assertTrue(cancelled.items().stream().allMatch(r -> r.status == TrainingStatus.CANCELLED));
    }

    @Test
    @TestTransaction
    void timelineIsInEventTimeOrder() {
        String id = uniqueId("tl");
        runs.persist(run(id, TrainingStatus.RUNNING, FUTURE));
        timeline.persist(event(id, "e-late-" + id, FUTURE.plusSeconds(10)));
        timeline.persist(event(id, "e-early-" + id, FUTURE));
        runs.flush();
        assertEquals(List.of("e-early-" + id, "e-late-" + id),
                timeline.timeline(id).stream().map(e -> e.eventId).toList());
        assertEquals(List.of(), timeline.timeline(id + "-none"));
    }

    @Test
    @TestTransaction
    void summarisesDatasetsOverTheirVersions() {
        String id = uniqueId("aaa-ds");
        for (int v = 1; v <= 3; v++) {
            datasets.persist(version(id, v, FUTURE.plusSeconds(v)));
        }
        datasets.flush();
        assertEquals(List.of(1, 2, 3), datasets.versions(id).stream().map(v -> v.version).toList());
        assertEquals(2, datasets.findVersion(id, 2).orElseThrow().version);
        assertTrue(datasets.findVersion(id, 4).isEmpty());

        DatasetSummaryRow row = datasets.datasets(0, 1000).items().stream()
                .filter(r -> r.datasetId().equals(id)).findFirst().orElseThrow();
        assertEquals(new DatasetSummaryRow(id, 3, 3, FUTURE.plusSeconds(3)), row);
    }

    @Test
    @TestTransaction
    void remembersProcessedEventIds() {
        String eventId = uniqueId("evt");
        assertEquals(false, processed.isProcessed(eventId));
        processed.markProcessed(eventId, "io.tuneforge.training.started", Instant.now());
        processed.flush();
        assertEquals(true, processed.isProcessed(eventId));
        assertNull(runs.findById(eventId));
    }

    static RunEntity run(String id, TrainingStatus status, Instant at) {
        RunEntity r = new RunEntity();
        r.runId = id;
        r.status = status;
        r.createdAt = at;
        r.updatedAt = at;
        return r;
    }

    private static RunEventEntity event(String runId, String eventId, Instant time) {
        RunEventEntity e = new RunEventEntity();
        e.eventId = eventId;
        e.runId = runId;
        e.type = "io.tuneforge.training.progress";
        e.time = time;
        e.payload = "{\"step\":1}";
        return e;
    }

    static DatasetVersionEntity version(String datasetId, int v, Instant at) {
        DatasetVersionEntity e = new DatasetVersionEntity();
        e.datasetId = datasetId;
        e.version = v;
        e.format = "instruction";
        e.counts = "{\"train\":10}";
        e.manifestUri = "s3://tuneforge/datasets/" + datasetId + "/v" + v + "/manifest.json";
        e.eventId = "evt-" + datasetId + "-" + v;
        e.createdAt = at;
        return e;
    }
}
