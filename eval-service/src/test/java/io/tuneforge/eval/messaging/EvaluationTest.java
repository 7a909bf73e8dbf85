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
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.eval.service.EvaluationPlan;
import io.tuneforge.eval.testing.TinyRuns;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
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

/**
 * Evaluation commands and training events through the real broker and S3; answers on the evaluation events. The
 * models are real: the tiny Llama and LoRA adapters trained for it by {@link TinyRuns}.
 */
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
        // KafkaCompanion and the Mutiny it starts live in Quarkus' base runtime class loader, while the context class
        // loader here is the (child) runtime loader; Mutiny's first use loads its decorators through the context
        // loader and then fails with "DefaultContextPropagationInterceptor not a subtype". Use the companion's loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaCompanion.class.getClassLoader());
        try {
            kafka = new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(),
                    Topics.EVALUATION_EVENTS, DLQ, Topics.dlq(Topics.TRAINING_EVENTS));
        } finally {
            thread.setContextClassLoader(previous);
        }
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

        ConsumerRecord<String, String> record = await(evalId);
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

        EvaluationFailed failed = Json.read(await(evalId).value(),
                EvaluationFailed.class);
        assertEquals("ADAPTER_NOT_FOUND", failed.errorCode());
        assertEquals("run-gone", failed.runId());
        assertTrue(failed.message().contains(adapter + "adapter_config.json"), failed.message());
    }

    @Test
    void datasetWithoutAnEvalSplitFailsNamingTheFile() {
        String evalId = id("eval-no-split");
        String adapter = "runs/run-ready/adapter/";
        store.putJson(adapter + "adapter_config.json", Map.of("r", 8, "lora_alpha", 16));

        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId,
                "run-ready", store.uri(MODEL).toString(), store.uri(adapter).toString(), DATASET, null, null, null)));

        EvaluationFailed failed = Json.read(await(evalId).value(), EvaluationFailed.class);
        assertEquals("EVAL_SPLIT_NOT_FOUND", failed.errorCode());
        assertTrue(failed.message().contains(store.uri(ObjectKeys.datasetFile(DATASET.datasetId(), 1, "eval.jsonl"))
                .toString()), failed.message());
    }

    @Test
    void baseModelWhoseFilesAreNotAModelFailsToLoad() {
        String evalId = id("eval-bad-model");
        DatasetVersionRef withSplit = new DatasetVersionRef(id("ds-split"), 1);
        store.putJson(ObjectKeys.datasetManifest(withSplit.datasetId(), 1), Map.of("version", 1));
        store.putBytes(ObjectKeys.datasetFile(withSplit.datasetId(), 1, "eval.jsonl"),
                "{\"instruction\": \"q\", \"output\": \"a\"}\n".getBytes(StandardCharsets.UTF_8), "application/jsonl");

        kafka.send(Topics.EVALUATION_COMMANDS, EventEnvelope.of("/test", new EvaluationRequested(1, evalId, null,
                store.uri(MODEL).toString(), null, withSplit, List.of("exactMatch"), 1, 4)));

        EvaluationFailed failed = Json.read(await(evalId).value(), EvaluationFailed.class);
        assertEquals("MODEL_LOAD_FAILED", failed.errorCode());
        assertTrue(failed.message().startsWith("Base model " + store.uri(MODEL) + " cannot be loaded"), failed.message());
    }

    @Test
    void completedRunIsEvaluatedOnceAndTheTunedModelIsAhead() throws Exception {
        TinyRuns.Fixture f = TinyRuns.ensure(store);
        TrainingCompleted completed = new TrainingCompleted(1, f.runA(), TinyRuns.request(f, f.runA()),
                ArtifactRef.prefix(f.adapterUri(store, f.runA())), null, null, Map.of("trainLoss", 0.2), 4096, 60, 3.0);
        String evalId = EvaluationPlan.evalIdOfRun(f.runA());

        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", completed));
        ConsumerRecord<String, String> record = await(evalId);

        assertEquals("io.tuneforge.evaluation.completed", KafkaTestClient.header(record, CloudEventsKafka.H_TYPE),
                record.value());
        EvaluationCompleted done = Json.read(record.value(), EvaluationCompleted.class);
        assertEquals(f.runA(), done.runId());
        assertEquals(16, done.samplesEvaluated());
        MetricComparison rougeL = done.metrics().get("rougeL");
        MetricComparison perplexity = done.metrics().get("perplexity");
        assertTrue(rougeL.tuned() > rougeL.base() + 30, done.metrics().toString());
        assertTrue(done.metrics().get("exactMatch").tuned() > done.metrics().get("exactMatch").base(),
                done.metrics().toString());
        assertTrue(perplexity.tuned() < 0.5 * perplexity.base(), done.metrics().toString());
        assertEquals(rougeL.tuned() - rougeL.base(), rougeL.delta(), 1e-9);

        JsonNode report = store.getJson(ObjectKeys.evalReport(evalId), JsonNode.class);
        assertEquals(f.modelUri(), report.get("baseModel").asText());
        assertEquals(f.adapterUri(store, f.runA()), report.get("adapter").asText());
        assertEquals(f.dataset().datasetId(), report.at("/dataset/datasetId").asText());
        assertEquals(16, report.at("/settings/maxNewTokens").asInt());
        assertEquals(rougeL.tuned(), report.at("/metrics/rougeL/tuned").asDouble(), 1e-12);
        assertTrue(report.at("/timing/total").asDouble() > 0, report.toString());
        assertEquals(store.stat(ObjectKeys.evalReport(evalId)).orElseThrow().sha256(), done.report().sha256());
        String samples = new String(store.getBytes(ObjectKeys.evalSamples(evalId)), StandardCharsets.UTF_8);
        assertEquals(16, samples.lines().count());
        JsonNode first = Json.mapper().readTree(samples.lines().findFirst().orElseThrow());
        assertEquals("red", first.get("reference").asText());
        assertTrue(first.at("/base/output").isTextual() && first.at("/tuned/scores/rougeL").isNumber(), first.toString());

        // Delivered again (a new event id): the report exists, so nothing is evaluated or sent a second time.
        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", completed));
        String marker = id("run-marker");
        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", completed(marker)));
        await(EvaluationPlan.evalIdOfRun(marker));
        assertEquals(1, kafka.records(Topics.EVALUATION_EVENTS, evalId).size());
    }

    @Test
    void trainingCompletedWithAMissingAdapterFailsItsEvaluationAndOtherTrainingEventsAreIgnored() {
        String runId = id("run-done");
        String queuedRun = id("run-only-queued");
        TrainingRequest request = request(queuedRun);

        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", TrainingQueued.of(request)));
        kafka.send(Topics.TRAINING_EVENTS, EventEnvelope.of("/tuneforge/trainer-service", completed(runId)));

        String evalId = EvaluationPlan.evalIdOfRun(runId);
        EvaluationFailed failed = Json.read(await(evalId).value(),
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

        String reason = KafkaTestClient.header(await(DLQ, poisonKey), "dead-letter-reason");
        assertTrue(reason.startsWith("Record value is not JSON"), reason);
        await(evalId);
    }

    @Test
    void trainingEventWithoutCloudEventsHeadersIsDeadLettered() {
        String key = "plain-" + UUID.randomUUID();

        kafka.send(Topics.TRAINING_EVENTS, key, "{\"runId\":\"" + key + "\"}", Map.of());

        String reason = KafkaTestClient.header(await(Topics.dlq(Topics.TRAINING_EVENTS), key),
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

    /** The first evaluation event keyed {@code evalId}; evaluations queue behind each other, so wait up to 90 s. */
    private ConsumerRecord<String, String> await(String evalId) {
        return await(Topics.EVALUATION_EVENTS, evalId);
    }

    private ConsumerRecord<String, String> await(String topic, String key) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, String>> found = kafka.records(topic, key);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            KafkaCompanion.sleep(java.time.Duration.ofMillis(100));
        }
        throw new AssertionError("No record on " + topic + " with key " + key + " within 90 s");
    }
}
