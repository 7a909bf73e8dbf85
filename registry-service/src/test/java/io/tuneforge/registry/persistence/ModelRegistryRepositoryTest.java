package io.tuneforge.registry.persistence;

import io.quarkus.test.TestTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.rest.RegistryViews;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model-registry tables and their repositories on the real, Flyway-migrated PostgreSQL; every test rolls back. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class ModelRegistryRepositoryTest {

    private static final Instant FUTURE = Instant.parse("2950-01-01T00:00:00Z");

    @Inject
    RegisteredModelRepository models;

    @Inject
    ModelVersionRepository versions;

    @Inject
    ModelAliasRepository aliases;

    @Inject
    TagRepository tags;

    @Inject
    RunRepository runs;

    @Inject
    RunMetricRepository metrics;

    @Inject
    ApiTokenRepository tokens;

    @Inject
    OutboxEventRepository outbox;

    @Inject
    RegistryViews views;

    @Inject
    SessionFactory sessionFactory;

    @Test
    @TestTransaction
    void numbersVersionsPerModelAndSearchesThem() {
        String name = uniqueId("repo-model");
        models.persist(model(name));
        assertEquals(1, versions.nextVersion(name));
        versions.persist(version(name, 1, "run-" + name + "-1", ModelVersionStatus.READY));
        versions.persist(version(name, 2, "run-" + name + "-2", ModelVersionStatus.PENDING_REGISTRATION));
        versions.flush();

        assertEquals(3, versions.nextVersion(name));
        assertEquals(List.of(2, 1), versions.versions(name).stream().map(v -> v.version).toList());
        assertEquals(2, versions.byRun("run-" + name + "-2").orElseThrow().version);
        assertEquals(List.of(1), versions.search(name, ModelVersionStatus.READY, null, 0, 10).items().stream()
                .map(v -> v.version).toList());
        assertTrue(versions.pendingIds(1000).contains(versions.findVersion(name, 2).orElseThrow().id));
        assertEquals(List.of(2L, 2L), List.of(versions.countAndLatest(name)[0], versions.countAndLatest(name)[1]));
    }

    @Test
    @TestTransaction
    void aVersionNumberAndARunAreUsedOnce() {
        String name = uniqueId("repo-unique");
        models.persist(model(name));
        versions.persist(version(name, 1, "run-" + name, ModelVersionStatus.READY));
        versions.flush();
        assertThrows(PersistenceException.class, () -> {
            versions.persist(version(name, 1, "run-" + name + "-other", ModelVersionStatus.READY));
            versions.flush();
        }, "two versions 1 of one model");
    }

    @Test
    @TestTransaction
    void anAliasIsUniquePerModelAndMustPointAtAnExistingVersion() {
        String name = uniqueId("repo-alias");
        models.persist(model(name));
        versions.persist(version(name, 1, "run-" + name, ModelVersionStatus.READY));
        aliases.persist(alias(name, "champion", 1));
        aliases.flush();
        assertEquals(1, aliases.findAlias(name, "champion").orElseThrow().version);

        assertThrows(PersistenceException.class, () -> {
            aliases.persist(alias(name, "champion", 1));
            aliases.flush();
        }, "a second 'champion' on one model");
    }

    @Test
    @TestTransaction
    void anAliasToAVersionThatDoesNotExistIsRefusedByTheDatabase() {
        String name = uniqueId("repo-alias-fk");
        models.persist(model(name));
        assertThrows(PersistenceException.class, () -> {
            aliases.persist(alias(name, "champion", 9));
            aliases.flush();
        });
    }

    @Test
    @TestTransaction
    void tagsAreSetReplacedListedAndRemovedAndFindModels() {
        String name = uniqueId("repo-tags");
        models.persist(model(name));
        tags.set(TagTarget.MODEL, name, "task", "chat", FUTURE);
        tags.set(TagTarget.MODEL, name, "task", "support", FUTURE);
        tags.set(TagTarget.MODEL, name, "owner", "ml", FUTURE);
        tags.set(TagTarget.VERSION, TagTarget.versionKey(name, 1), "validated", "yes", FUTURE);
        tags.flush();

        assertEquals(Map.of("owner", "ml", "task", "support"), tags.tags(TagTarget.MODEL, name));
        assertEquals(List.of("owner", "task"), List.copyOf(tags.tags(TagTarget.MODEL, name).keySet()));
        assertEquals(List.of(name), models.search(null, "task", "support", 0, 1000).items().stream()
                .map(m -> m.name).filter(name::equals).toList());
        assertTrue(models.search(null, "task", "chat", 0, 1000).items().stream().noneMatch(m -> m.name.equals(name)));
        assertEquals(1, tags.withKeyPrefix(TagTarget.VERSION, name + "/").size());
        assertTrue(tags.remove(TagTarget.MODEL, name, "owner"));
        assertFalse(tags.remove(TagTarget.MODEL, name, "owner"));
    }

    @Test
    @TestTransaction
    void theMetricSeriesIsInStepOrderAndOneRowPerStep() {
        String runId = uniqueId("repo-metrics");
        RunEntity run = RunRepositoryTest.run(runId, TrainingStatus.RUNNING, FUTURE);
        runs.persist(run);
        for (long step : new long[]{3, 1, 2}) {
            metrics.persist(point(runId, step));
        }
        metrics.flush();
        assertEquals(List.of(1L, 2L, 3L), metrics.series(runId).stream().map(m -> m.step).toList());
        assertEquals(2L, metrics.atStep(runId, 2).orElseThrow().step);

        assertThrows(PersistenceException.class, () -> {
            metrics.persist(point(runId, 2));
            metrics.flush();
        }, "a second row for step 2");
    }

    @Test
    @TestTransaction
    void tokensAreFoundByHashUntilRevoked() {
        ApiTokenEntity t = new ApiTokenEntity();
        t.name = "ci";
        t.role = "writer";
        t.tokenHash = "a".repeat(63) + "b";
        t.tokenHint = "tfr_abcd";
        t.createdAt = FUTURE;
        tokens.persist(t);
        tokens.flush();
        assertEquals("ci", tokens.activeByHash(t.tokenHash).orElseThrow().name);
        t.revokedAt = FUTURE;
        tokens.flush();
        assertTrue(tokens.activeByHash(t.tokenHash).isEmpty());
    }

    @Test
    @TestTransaction
    void theOutboxHandsOutUnsentRowsOldestFirst() {
        OutboxEventEntity a = outboxRow(uniqueId("evt-a"));
        OutboxEventEntity b = outboxRow(uniqueId("evt-b"));
        outbox.persist(a);
        outbox.persist(b);
        outbox.flush();
        List<String> unsent = outbox.lockUnsent(1000).stream().map(r -> r.eventId).toList();
        assertTrue(unsent.indexOf(a.eventId) < unsent.indexOf(b.eventId), unsent.toString());
        a.sentAt = FUTURE;
        outbox.flush();
        assertFalse(outbox.lockUnsent(1000).stream().anyMatch(r -> r.eventId.equals(a.eventId)));
    }

    /** The models list reads a page's version counts and tags with one query each, not one per model (N+1). */
    @Test
    @TestTransaction
    void theModelsListReadsCountsAndTagsOncePerPage() {
        String prefix = uniqueId("list-model");
        for (int i = 1; i <= 6; i++) {
            String name = prefix + "-" + i;
            models.persist(model(name));
            for (int n = 1; n <= i % 3; n++) {
                versions.persist(version(name, n, "run-" + name + "-" + n, ModelVersionStatus.READY));
            }
            tags.set(TagTarget.MODEL, name, "team", "t" + i, FUTURE);
        }
        versions.flush();
        Statistics statistics = sessionFactory.getStatistics();
        Map<String, Long> before = queryExecutions(statistics);

        var page = views.models(prefix, null, null, 0, 50);

        Map<String, Long> during = queryExecutions(statistics);
        before.forEach((q, n) -> during.computeIfPresent(q, (k, m) -> m - n));
        during.values().removeIf(n -> n == 0);
        // queries by model name or tag target (the registrar's background poll of pending versions is neither)
        long perModel = during.entrySet().stream()
                .filter(e -> e.getKey().contains("ModelVersionEntity") && e.getKey().contains("modelName")
                        || e.getKey().contains("TagEntity") && e.getKey().contains("targetKey"))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(6, page.items().size());
        assertTrue(perModel <= 2, "6 models listed with " + perModel + " version/tag queries (expected 2, one"
                + " each): " + during);
        var third = page.items().stream().filter(m -> m.name().equals(prefix + "-3")).findFirst().orElseThrow();
        var fifth = page.items().stream().filter(m -> m.name().equals(prefix + "-5")).findFirst().orElseThrow();
        assertEquals(List.of(0L, 0), List.of(third.versionCount(), third.latestVersion()));
        assertEquals(List.of(2L, 2), List.of(fifth.versionCount(), fifth.latestVersion()));
        assertEquals(Map.of("team", "t5"), fifth.tags());
    }

    private static Map<String, Long> queryExecutions(Statistics statistics) {
        Map<String, Long> executions = new java.util.HashMap<>();
        for (String query : statistics.getQueries()) {
            executions.put(query, statistics.getQueryStatistics(query).getExecutionCount());
        }
        return executions;
    }

    private static RegisteredModelEntity model(String name) {
        RegisteredModelEntity m = new RegisteredModelEntity();
        m.name = name;
        m.createdAt = FUTURE;
        m.updatedAt = FUTURE;
        return m;
    }

    private static ModelVersionEntity version(String model, int n, String runId, ModelVersionStatus status) {
        ModelVersionEntity v = new ModelVersionEntity();
        v.modelName = model;
        v.version = n;
        v.runId = runId;
        v.sourceUri = "s3://tuneforge/runs/" + runId + "/adapter/";
        v.sourceKind = ModelVersionEntity.KIND_ADAPTER;
        v.status = status;
        v.metrics = "{\"trainLoss\":1.0}";
        v.eventId = "evt-" + runId;
        v.createdAt = FUTURE;
        v.updatedAt = FUTURE;
        return v;
    }

    private static ModelAliasEntity alias(String model, String alias, int version) {
        ModelAliasEntity a = new ModelAliasEntity();
        a.modelName = model;
        a.alias = alias;
        a.version = version;
        a.updatedAt = FUTURE;
        return a;
    }

    private static RunMetricEntity point(String runId, long step) {
        RunMetricEntity m = new RunMetricEntity();
        m.runId = runId;
        m.step = step;
        m.trainLoss = 3.0 - step;
        m.time = FUTURE.plusSeconds(step);
        return m;
    }

    private static OutboxEventEntity outboxRow(String eventId) {
        OutboxEventEntity r = new OutboxEventEntity();
        r.eventId = eventId;
        r.type = "io.tuneforge.registry.alias-set";
        r.subject = "m";
        r.source = "/tuneforge/registry-test";
        r.time = FUTURE;
        r.payload = "{\"schemaVersion\":1,\"modelName\":\"m\",\"alias\":\"champion\",\"version\":1}";
        return r;
    }
}
