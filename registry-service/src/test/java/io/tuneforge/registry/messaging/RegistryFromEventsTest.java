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
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.registry.ModelVersionRegistered;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestEvents;
import io.tuneforge.registry.persistence.ModelVersionEntity;
import io.tuneforge.registry.persistence.ModelVersionRepository;
import io.tuneforge.registry.persistence.ModelVersionStatus;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunMetricEntity;
import io.tuneforge.registry.persistence.RunMetricRepository;
import io.tuneforge.registry.persistence.RunRepository;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.completed;
import static io.tuneforge.registry.TestEvents.evaluation;
import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.prepared;
import static io.tuneforge.registry.TestEvents.progress;
import static io.tuneforge.registry.TestEvents.putAdapter;
import static io.tuneforge.registry.TestEvents.queued;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.request;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model registry built from events on the real broker: versions from TrainingCompleted (checked against the real
 * object store, announced on tuneforge.registry.events), metric series from progress that arrives out of order and
 * twice, evaluations, and the lineage graph that ties them to the dataset version.
 */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class RegistryFromEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaCompanion kafka;

    @Inject
    ModelVersionRepository versions;

    @Inject
    RunRepository runs;

    @Inject
    RunMetricRepository metrics;

    @BeforeAll
    static void connect() {
        kafka = TestEvents.companion();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void completedRunsRegisterNumberedVersionsAndAnnounceThemWhenTheirArtifactIsChecked() {
        String model = uniqueId("chat-model");
        TrainingRequest first = request(uniqueId("run-v1"), "ds-chat", 1, model);
        TrainingRequest second = request(uniqueId("run-v2"), "ds-chat", 1, model);
        TrainingRequest missing = request(uniqueId("run-v3"), "ds-chat", 1, model);
        putAdapter(first.runId());
        putAdapter(second.runId());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        try (ConsumerTask<String, String> announced = registryEvents()) {
            send(kafka, record(event(queued(first), t0)), record(event(completed(first, 1.5), t0.plusSeconds(60))));
            awaitVersion(first.runId(), ModelVersionStatus.READY);
            send(kafka, record(event(completed(second, 1.2), t0.plusSeconds(120))),
                    record(event(completed(missing, 1.1), t0.plusSeconds(180))));

            ModelVersionEntity v1 = awaitVersion(first.runId(), ModelVersionStatus.READY);
            ModelVersionEntity v2 = awaitVersion(second.runId(), ModelVersionStatus.READY);
            ModelVersionEntity v3 = awaitVersion(missing.runId(), ModelVersionStatus.FAILED_REGISTRATION);
            assertEquals(List.of(1, 2, 3), List.of(v1.version, v2.version, v3.version));
            assertEquals("s3://tuneforge/runs/" + first.runId() + "/adapter/", v1.sourceUri);
            assertEquals("s3://tuneforge/models/tiny-llama/", v1.baseModel);
            assertTrue(v3.statusMessage.contains("Nothing found at s3://tuneforge/runs/" + missing.runId()
                    + "/adapter/"), v3.statusMessage);

            await().atMost(WAIT).until(() -> announcedFor(announced, model).size() == 3);
            List<ModelVersionRegistered> events = announcedFor(announced, model);
            assertEquals(List.of(1, 2, 3), events.stream().map(ModelVersionRegistered::version).sorted().toList());
            ModelVersionRegistered e3 = events.stream().filter(e -> e.version() == 3).findFirst().orElseThrow();
            assertEquals("FAILED_REGISTRATION", e3.status());
            assertEquals(missing.runId(), e3.runId());
            assertEquals(List.of("READY", "READY"), events.stream().filter(e -> e.version() < 3)
                    .map(ModelVersionRegistered::status).toList());
            ConsumerRecord<String, String> r = announced.stream().filter(x -> model.equals(x.key())).findFirst()
                    .orElseThrow();
            assertEquals("io.tuneforge.registry.model-version-registered",
                    KafkaCompanion.getHeader(r.headers(), "ce_type"));
        }
        given().get("/api/models/{name}", model)
                .then().statusCode(200)
                .body("versions.version", contains(3, 2, 1))
                .body("versions.find { it.version == 1 }.metrics.trainLoss", equalTo(1.5f));
    }

    @Test
    void progressArrivingOutOfOrderAndTwiceEndsAsTheInOrderSeries() {
        String runId = uniqueId("run-progress");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope<TrainingProgress> s1 = event(progress(runId, 1, 2.5, 1e-4, null), t0.plusSeconds(1));
        EventEnvelope<TrainingProgress> s2 = event(progress(runId, 2, 2.0, 2e-4, 2.2), t0.plusSeconds(2));
        EventEnvelope<TrainingProgress> s3 = event(progress(runId, 3, 1.6, 1.5e-4, null), t0.plusSeconds(3));
        // A redelivery of step 2 (same id, other numbers) must change nothing...
        EventEnvelope<TrainingProgress> s2again = new EventEnvelope<>(s2.id(), s2.source(), s2.type(), s2.subject(),
                s2.time(), progress(runId, 2, 99.0, 9e-4, 99.0));
        // ...while step 3 repeated later by a resumed run replaces the values, keeping what it leaves out.
        EventEnvelope<TrainingProgress> s3resumed = event(progress(runId, 3, 1.55, 1.5e-4, 1.9), t0.plusSeconds(9));
        // And an older event for step 1 only fills what step 1 lacks (no eval loss measured then).
        EventEnvelope<TrainingProgress> s1older = event(progress(runId, 1, 7.0, 7e-4, 2.7), t0);

        send(kafka, record(s3), record(s1), record(s2), record(s2again), record(s3resumed), record(s1older));

        List<RunMetricEntity> series = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> read(() -> metrics.series(runId)),
                        s -> s.size() == 3 && s.get(2).evalLoss != null && s.get(0).evalLoss != null);
        assertEquals(List.of(1L, 2L, 3L), series.stream().map(m -> m.step).toList());
        assertEquals(List.of(2.5, 2.0, 1.55), series.stream().map(m -> m.trainLoss).toList(),
                "step 2 keeps the first delivery of its event id; step 3 the values of its latest event");
        assertEquals(2.7, series.get(0).evalLoss, "an older event fills only what is missing");
        assertEquals(1e-4, series.get(0).learningRate);
        assertEquals(1.9, series.get(2).evalLoss);
        RunEntity run = read(() -> runs.findById(runId));
        assertEquals(3L, run.step);
        assertEquals(0.3, run.progress, 1e-9);

        given().get("/api/runs/{id}/metrics", runId)
                .then().statusCode(200)
                .body("step", contains(1, 2, 3))
                .body("[2].trainLoss", equalTo(1.55f));
    }

    @Test
    void evaluationsAreRecordedOnceAndCloseTheLineageFromDatasetToEvaluation() {
        String datasetId = uniqueId("ds-lineage");
        String model = uniqueId("lineage-model");
        TrainingRequest req = request(uniqueId("run-lineage"), datasetId, 2, model);
        String evalId = uniqueId("eval");
        putAdapter(req.runId());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(kafka,
                record(event(prepared(datasetId, 1, null), t0)),
                record(event(prepared(datasetId, 2, new DatasetVersionRef(datasetId, 1)), t0.plusSeconds(1))));
        send(kafka,
                record(event(queued(req), t0.plusSeconds(2))),
                record(event(completed(req, 0.9), t0.plusSeconds(30))));
        send(kafka,
                record(event(evaluation(evalId, req.runId()), t0.plusSeconds(40))),
                // the same evaluation id reported again under another event id: the first report stays
                record(event(new EvaluationFailed(1, evalId, req.runId(), "X",
                        "late failure"), t0.plusSeconds(50))));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/evaluations/{id}", evalId)
                .then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("metrics.rougeL.tuned", equalTo(0.34f))
                .body("modelVersion.modelName", equalTo(model)));
        awaitVersion(req.runId(), ModelVersionStatus.READY);

        String ds1 = "dataset:" + datasetId + "/v1";
        String ds2 = "dataset:" + datasetId + "/v2";
        String run = "run:" + req.runId();
        String version = "version:" + model + "/1";
        String eval = "evaluation:" + evalId;
        given().get("/api/models/{name}/lineage", model)
                .then().statusCode(200)
                .body("nodes.id", containsInAnyOrder(ds1, ds2, run, version, eval))
                .body("edges.collect { it.from + '>' + it.to + ':' + it.relation }", hasItems(
                        ds1 + ">" + ds2 + ":derived", ds2 + ">" + run + ":trained",
                        run + ">" + version + ":produced", version + ">" + eval + ":evaluated"))
                .body("truncated", equalTo(false));
        given().get("/api/datasets/{id}/versions/1/lineage", datasetId)
                .then().statusCode(200)
                .body("nodes.id", containsInAnyOrder(ds1, ds2, run, version, eval));
        given().get("/api/evaluations/{id}", evalId).then().body("errorMessage", nullValue());
    }

    private ModelVersionEntity awaitVersion(String runId, ModelVersionStatus status) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> read(() -> versions.byRun(runId).orElse(null)), v -> v != null && v.status == status);
    }

    private static List<ModelVersionRegistered> announcedFor(ConsumerTask<String, String> records, String model) {
        return records.stream().filter(r -> model.equals(r.key()))
                .map(r -> Json.read(r.value(), ModelVersionRegistered.class)).toList();
    }

    private static ConsumerTask<String, String> registryEvents() {
        return kafka.consumeStrings()
                .withGroupId(uniqueId("registry-events-reader"))
                .withProp("auto.offset.reset", "earliest")
                .fromTopics(Topics.REGISTRY_EVENTS);
    }

    private static <T> T read(Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}
