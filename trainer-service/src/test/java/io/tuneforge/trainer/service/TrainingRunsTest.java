package io.tuneforge.trainer.service;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingStarted;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.trainer.RunEvents;
import io.tuneforge.trainer.TrainerTestSupport;
import io.tuneforge.trainer.coordination.Lease;
import io.tuneforge.trainer.coordination.RunEntry;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import io.tuneforge.trainer.coordination.LeaseStore;
import io.tuneforge.trainer.persistence.RunState;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.export.gguf.GgufReader;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.tuneforge.trainer.TrainerTestSupport.runId;
import static io.tuneforge.trainer.TrainerTestSupport.smallRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training runs end to end through the real broker and S3: the request on {@code tuneforge.training.commands}, the
 * tiny Llama trained by tuning-core on this replica's worker thread, the lifecycle events in order, the artifacts in
 * the store; a run with export settings publishes the merged model and the GGUF its Completed event names.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingRunsTest {

    @Inject
    ArtifactStore store;

    @Inject
    RunLog runLog;

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
    void loraSftRunGoesFromRequestToCompletedWithItsAdapterInTheStore() throws Exception {
        String runId = runId("lora");
        RunEvents events = new RunEvents(kafka, runId);

        // 16 records, batch 4: 4 steps an epoch, 3 epochs = 12 steps; checkpoints at 5, 10 and the end
        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET, "", 3, 5),
                Map.of());
        TrainingCompleted completed = events.await("completed", TrainingCompleted.class);

        List<String> types = events.types();
        assertEquals(List.of("queued", "started", "progress", "checkpointed", "progress", "checkpointed",
                "progress", "checkpointed", "completed"), types, "events in order");
        TrainingStarted started = events.of("started", TrainingStarted.class).get(0);
        assertEquals("cpu", started.device());
        assertEquals("float32", started.computeDtype());
        assertTrue(started.threads() >= 1 && started.maxMemoryBytes() > 0, started.toString());
        assertEquals(12, started.totalSteps());
        assertEquals(0, started.resumedFromStep());
        assertEquals("trainer-test", started.worker());
        assertEquals(List.of(5L, 10L, 12L), events.of("progress", TrainingProgress.class).stream()
                .map(TrainingProgress::step).toList(), "progress every 5 steps and at the end");
        TrainingProgress last = events.of("progress", TrainingProgress.class).get(2);
        assertEquals(1.0, last.progress());
        assertTrue(Double.isFinite(last.trainLoss()) && last.tokensPerSecond() > 0, last.toString());
        List<TrainingCheckpointed> checkpoints = events.of("checkpointed", TrainingCheckpointed.class);
        assertEquals(List.of(5L, 10L, 12L), checkpoints.stream().map(TrainingCheckpointed::step).toList());
        for (TrainingCheckpointed c : checkpoints) {
            assertEquals(store.uri(ObjectKeys.runCheckpoint(runId, c.step())).toString(), c.checkpoint().uri());
            assertTrue(store.exists(ObjectKeys.runCheckpoint(runId, c.step()) + "trainer_state.json"));
            assertTrue(store.exists(ObjectKeys.runCheckpoint(runId, c.step()) + "optimizer.safetensors"));
        }

        assertEquals(store.uri(ObjectKeys.runAdapter(runId)).toString(), completed.adapter().uri());
        assertEquals(12, completed.steps());
        assertEquals(4, completed.request().lora().r());
        assertTrue(Double.isFinite(completed.metrics().get("trainLoss")), completed.metrics().toString());
        assertTrue(completed.metrics().containsKey("evalLoss"), "the version has an eval split");
        List<JsonNode> lines = metricsLines(runId);
        long trainLines = lines.stream().filter(l -> "train".equals(l.path("type").asText())).count();
        assertEquals(12, trainLines, "metrics.jsonl in the store has every step once");
        assertEquals(lines.stream().filter(l -> "train".equals(l.path("type").asText()))
                .mapToLong(l -> l.path("targetTokens").asLong()).sum(), completed.trainedTokens());
        assertTrue(completed.trainedTokens() > 0);

        RunState state = store.getJson(ObjectKeys.runState(runId), RunState.class);
        assertEquals(TrainingStatus.SUCCEEDED, state.status());
        assertEquals(12L, state.step());
        assertEquals(1, state.attempt());
        Lease lease = store.getJson(LeaseStore.key(runId), Lease.class);
        assertEquals("trainer-test", lease.worker());

        Path dir = Files.createTempDirectory("adapter-check");
        store.download(ObjectKeys.modelPrefix(TrainerTestSupport.MODEL), dir.resolve("model"));
        store.download(ObjectKeys.runAdapter(runId), dir.resolve("adapter"));
        try (LlamaModel model = LlamaModel.load(dir.resolve("model"), DeviceSettings.cpu());
             LoraAdapter adapter = LoraAdapter.load(dir.resolve("adapter"), model)) {
            assertEquals(14, adapter.layers().size(), "2 layers × 7 target modules");
            double sumB = 0;
            for (Map.Entry<String, NDArray> p : adapter.trainableParameters().entrySet()) {
                if (p.getKey().contains("lora_B")) {
                    sumB += p.getValue().abs().sum().getFloat();
                }
            }
            assertTrue(sumB > 0, "lora_B starts at zero; training moved it");
        }

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tuneforge_trainer_runs{status=\"succeeded\""), metrics);
        assertTrue(metrics.contains("tuneforge_trainer_step_seconds_count"), "step time");
        assertTrue(metrics.contains("tuneforge_trainer_tokens_per_second"), "tokens/s");
        assertTrue(metrics.contains("tuneforge_trainer_queue_depth"), "queue depth");
        assertTrue(metrics.contains("tuneforge_trainer_runs_finished_total{status=\"succeeded\""), metrics);
    }

    @Test
    void dpoRunOnPreferenceDataCompletesWithTrlMetrics() {
        String runId = runId("dpo");
        RunEvents events = new RunEvents(kafka, runId);

        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.PREFERENCES,
                "\"method\":\"dpo\"", 2, 0), Map.of());
        TrainingCompleted completed = events.await("completed", TrainingCompleted.class);

        assertEquals(8, completed.steps());
        assertEquals("dpo", completed.request().method().wireName());
        assertNotNull(completed.adapter());
        assertTrue(completed.metrics().containsKey("rewards/accuracies"), completed.metrics().toString());
        assertTrue(completed.metrics().containsKey("eval_rewards/margins"), completed.metrics().toString());
        assertTrue(store.exists(ObjectKeys.runAdapter(runId) + "adapter_model.safetensors"));
        assertEquals(List.of("queued", "started", "progress", "progress", "checkpointed", "completed"),
                events.types());
    }

    @Test
    void qloraSftRunTrainsOverAnNf4Base() {
        String runId = runId("qlora");
        RunEvents events = new RunEvents(kafka, runId);

        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET,
                "\"adapter\":\"qlora\"", 1, 0), Map.of());
        TrainingCompleted completed = events.await("completed", TrainingCompleted.class);

        assertEquals("qlora", completed.request().adapter().wireName());
        assertEquals(4, completed.steps());
        assertTrue(store.exists(ObjectKeys.runAdapter(runId) + "adapter_config.json"));
    }

    @Test
    void cancelOfARunningRunStopsAfterTheCurrentStepAndKeepsItsCheckpoint() {
        String runId = runId("cancel-running");
        RunEvents events = new RunEvents(kafka, runId);

        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET, "", 100,
                0), Map.of()); // 400 steps
        TrainingProgress progress = events.await("progress", TrainingProgress.class);
        kafka.send(Topics.TRAINING_COMMANDS, EventEnvelope.of("/test", TrainingCancelRequested.of(runId,
                "enough for today")));
        TrainingCancelled cancelled = events.await("cancelled", TrainingCancelled.class);

        assertTrue(cancelled.step() >= progress.step() && cancelled.step() < 400, "stopped at " + cancelled.step());
        assertEquals("enough for today", cancelled.reason());
        assertEquals(store.uri(ObjectKeys.runCheckpoint(runId, cancelled.step())).toString(),
                cancelled.lastCheckpoint().uri());
        assertTrue(store.exists(ObjectKeys.runCheckpoint(runId, cancelled.step()) + "trainer_state.json"));
        List<String> types = events.types();
        assertEquals("checkpointed", types.get(types.size() - 2), "the checkpoint is announced first: " + types);
        assertEquals(cancelled.step(), events.of("checkpointed", TrainingCheckpointed.class).get(0).step());
        assertFalse(types.contains("completed"));
        RunState state = store.getJson(ObjectKeys.runState(runId), RunState.class);
        assertEquals(TrainingStatus.CANCELLED, state.status());
        assertEquals(cancelled.step(), state.step());
    }

    @Test
    void aReplicaThatLosesItsRunStopsSilentlyAndTheOrphanedRunIsResumed() throws Exception {
        String runId = runId("taken-over");
        RunEvents events = new RunEvents(kafka, runId);
        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET, "", 10,
                5), Map.of()); // 40 steps
        TrainingCheckpointed first = events.await("checkpointed", TrainingCheckpointed.class);

        // another replica claims attempt 2 (as if this one had stalled past its lease) and then dies at once
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.current().kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(runLog.topic(), runId, Json.write(RunLogEntry.claimed(runId, 2,
                    "intruder", Instant.now())))).get(10, TimeUnit.SECONDS);
        }
        TrainingCompleted completed = events.await("completed", TrainingCompleted.class);

        List<TrainingStarted> starts = events.of("started", TrainingStarted.class);
        assertEquals(2, starts.size(), events.types().toString());
        assertTrue(starts.get(1).resumedFromStep() >= first.step(), "resumed from " + starts.get(1)
                .resumedFromStep());
        assertEquals(1, events.of("completed", TrainingCompleted.class).size());
        assertFalse(events.types().contains("cancelled") || events.types().contains("failed"), events.types()
                .toString());
        assertEquals(40, completed.steps());
        RunEntry entry = runLog.ledger().get(runId).orElseThrow();
        assertEquals(3, entry.epoch(), "attempt 1 here, 2 by the intruder, 3 here again");
        assertEquals(TrainingStatus.SUCCEEDED, entry.status());
        assertEquals(3, store.getJson(ObjectKeys.runState(runId), RunState.class).attempt());
        long trainLines = metricsLines(runId).stream().filter(l -> "train".equals(l.path("type").asText())).count();
        assertEquals(40, trainLines, "each step once in metrics.jsonl across the attempts");
    }

    @Test
    void aRunWhoseLossTurnsNanFailsAsDivergedNamingTheStep() throws Exception {
        String runId = runId("diverged");
        RunEvents events = new RunEvents(kafka, runId);
        String poisoned = ObjectKeys.modelPrefix("tiny-nan-" + runId.substring(runId.length() - 8));
        Path dir = Files.createTempDirectory("nan-model");
        store.download(ObjectKeys.modelPrefix(TrainerTestSupport.MODEL), dir);
        fillWithNan(dir.resolve("model.safetensors"), "model.norm.weight"); // every logit NaN at the first step
        store.upload(dir, poisoned);

        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET, "", 1, 0)
                .replace(TrainerTestSupport.modelUri(store), store.uri(poisoned).toString()), Map.of());
        TrainingFailed failed = events.await("failed", TrainingFailed.class);

        assertEquals(TrainingErrorCode.TRAINING_DIVERGED, failed.errorCode(), failed.message());
        assertTrue(failed.message().startsWith("Training diverged at step 1: loss NaN"), failed.message());
        assertTrue(failed.message().contains("lower hyperparameters.learningRate (now 0.01)"), failed.message());
        assertEquals(List.of("queued", "started", "failed"), events.types());
        RunState state = store.getJson(ObjectKeys.runState(runId), RunState.class);
        assertEquals(TrainingStatus.FAILED, state.status());
        assertEquals(TrainingErrorCode.TRAINING_DIVERGED, state.errorCode());
    }

    /** Overwrites every value of one F32 tensor of a safetensors file with NaN, in place. */
    private static void fillWithNan(Path file, String tensor) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buffer.getLong(0));
        JsonNode entry = Json.mapper().readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8))
                .path(tensor);
        assertEquals("F32", entry.path("dtype").asText(), tensor);
        for (int at = entry.path("data_offsets").get(0).asInt(); at < entry.path("data_offsets").get(1).asInt();
             at += 4) {
            buffer.putFloat(8 + headerLength + at, Float.NaN);
        }
        Files.write(file, bytes);
    }

    private List<JsonNode> metricsLines(String runId) throws Exception {
        String text = new String(store.getBytes(ObjectKeys.runMetrics(runId)), StandardCharsets.UTF_8);
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    private static final long[] EXPORT_TOKENS = {5, 99, 257, 42, 7};

    @Test
    void aRunWithExportSettingsPublishesTheMergedModelAndTheGguf() throws Exception {
        String runId = runId("export");
        RunEvents events = new RunEvents(kafka, runId);

        kafka.send(Topics.TRAINING_COMMANDS, null, smallRequest(runId, store, TrainerTestSupport.DATASET,
                "\"export\":{\"merge\":true,\"gguf\":\"q8_0\"}", 1, 0), Map.of());
        TrainingCompleted completed = events.await("completed", TrainingCompleted.class);

        assertEquals(store.uri(ObjectKeys.runAdapter(runId)).toString(), completed.adapter().uri());
        assertNotNull(completed.model(), "merged model named");
        assertEquals(store.uri(ObjectKeys.runMerged(runId)).toString(), completed.model().uri());
        assertNotNull(completed.gguf(), "GGUF named");
        String ggufKey = ObjectKeys.runGguf(runId, "q8_0");
        assertEquals(store.uri(ggufKey).toString(), completed.gguf().uri());
        ObjectInfo stored = store.stat(ggufKey).orElseThrow();
        assertEquals(stored.size(), completed.gguf().sizeBytes());
        assertEquals(stored.sha256(), completed.gguf().sha256());
        String modelfile = new String(store.getBytes(ObjectKeys.runPrefix(runId) + "export/Modelfile"),
                StandardCharsets.UTF_8);
        assertTrue(modelfile.contains("\nFROM ./model-q8_0.gguf\n"), modelfile);

        Path dir = Files.createTempDirectory("run-export");
        store.download(ObjectKeys.modelPrefix(TrainerTestSupport.MODEL), dir.resolve("base"));
        store.download(ObjectKeys.runAdapter(runId), dir.resolve("adapter"));
        store.download(ObjectKeys.runMerged(runId), dir.resolve("merged"));
        store.downloadFile(ggufKey, dir.resolve("model.gguf"));
        assertTrue(Files.exists(dir.resolve("merged/tokenizer.json")), "tokenizer files copied");
        assertTrue(GgufReader.read(dir.resolve("model.gguf")).tensors().size() > 0, "GGUF reads back");
        float[] expected;
        float[] merged;
        try (LlamaModel base = LlamaModel.load(dir.resolve("base"), DeviceSettings.cpu());
             LoraAdapter adapter = LoraAdapter.load(dir.resolve("adapter"), base)) {
            expected = exportLogits(base);
        }
        try (LlamaModel model = LlamaModel.load(dir.resolve("merged"), DeviceSettings.cpu())) {
            merged = exportLogits(model);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - merged[i]));
        }
        assertTrue(worst <= 1e-5, "merged model vs base + trained adapter: " + worst);
    }

    private static float[] exportLogits(LlamaModel model) {
        try (NDManager m = NDManager.newBaseManager();
             NDArray out = model.forward(m.create(EXPORT_TOKENS, new Shape(1, EXPORT_TOKENS.length)), null, null)) {
            return out.toFloatArray();
        }
    }
}
