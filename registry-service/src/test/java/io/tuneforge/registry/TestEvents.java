package io.tuneforge.registry;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.cloudevents.KafkaRecordParts;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStarted;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageSettings;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events as producers write them, and a way to put them on the real broker of the test stack. */
public final class TestEvents {

    public static final String SOURCE = "/tuneforge/registry-test";
    public static final String TRAINING_EVENTS = Topics.TRAINING_EVENTS;
    public static final String DATASET_EVENTS = Topics.DATASET_EVENTS;

    private TestEvents() {
    }

    public static KafkaCompanion companion() {
        return new KafkaCompanion(LocalStackResource.current().kafkaBootstrapServers());
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static <T extends EventPayload> EventEnvelope<T> event(T data, Instant time) {
        return new EventEnvelope<>(UUID.randomUUID().toString(), SOURCE, EventType.of(data.getClass()),
                data.aggregateId(), time, data);
    }

    /** The record a producer using the contracts codec sends: key = aggregate id, ce_* headers, JSON value. */
    public static ProducerRecord<String, String> record(EventEnvelope<?> event) {
        KafkaRecordParts parts = CloudEventsKafka.encode(event);
        return record(event.type().topic(), parts.key(), parts.headers(), parts.value());
    }

    public static ProducerRecord<String, String> record(String topic, String key, Map<String, String> headers,
                                                        String value) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((name, v) -> h.add(name, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, key, value, h);
    }

    @SafeVarargs
    public static void send(KafkaCompanion kafka, ProducerRecord<String, String>... records) {
        kafka.produceStrings().fromRecords(List.of(records)).awaitCompletion();
    }

    public static TrainingRequest request(String runId, String datasetId) {
        return new TrainingRequest(1, runId, "tiny-chat", "s3://tuneforge/models/tiny-llama/",
                DatasetSpec.registered(datasetId, 1), TrainingMethod.SFT, AdapterType.LORA, null, null, null, null,
                null, Map.of("team", "registry-tests")).withDefaults();
    }

    public static TrainingQueued queued(String runId) {
        return TrainingQueued.of(request(runId, "ds-chat"));
    }

    public static TrainingStarted started(String runId) {
        return new TrainingStarted(1, runId, "cpu", "float32", 2, 1L << 30, 100, 0, "trainer-1");
    }

    public static TrainingCompleted completed(String runId) {
        return new TrainingCompleted(1, runId, request(runId, "ds-chat"),
                ArtifactRef.prefix("s3://tuneforge/runs/" + runId + "/adapter/"), null, null, Map.of("trainLoss", 1.25),
                12_345, 100, 42.0);
    }

    /** A request for {@code modelName} (the registered model a completed run files a version under). */
    public static TrainingRequest request(String runId, String datasetId, int datasetVersion, String modelName) {
        return new TrainingRequest(1, runId, modelName, "s3://tuneforge/models/tiny-llama/",
                DatasetSpec.registered(datasetId, datasetVersion), TrainingMethod.SFT, AdapterType.LORA, null, null,
                null, null, null, Map.of("team", "registry-tests")).withDefaults();
    }

    public static TrainingQueued queued(TrainingRequest request) {
        return TrainingQueued.of(request);
    }

    /** Completed with the adapter at the run's usual place in bucket tuneforge. */
    public static TrainingCompleted completed(TrainingRequest request, double trainLoss) {
        return new TrainingCompleted(1, request.runId(), request,
                ArtifactRef.prefix("s3://tuneforge/runs/" + request.runId() + "/adapter/"), null, null,
                Map.of("trainLoss", trainLoss, "evalLoss", trainLoss + 0.1), 12_345, 100, 42.0);
    }

    public static TrainingProgress progress(String runId, long step, double loss, double lr, Double evalLoss) {
        return new TrainingProgress(1, runId, step, 10, step / 10.0, loss, evalLoss, lr, 1.0, 1000, step / 10.0,
                (10 - step) * 2.0);
    }

    public static EvaluationCompleted evaluation(String evalId, String runId) {
        return new EvaluationCompleted(1, evalId, runId,
                new ArtifactRef("s3://tuneforge/evals/" + evalId + "/report.json", "e".repeat(64), 300),
                new ArtifactRef("s3://tuneforge/evals/" + evalId + "/samples.jsonl", "f".repeat(64), 900),
                Map.of("rougeL", MetricComparison.of(0.21, 0.34), "perplexity", MetricComparison.of(12.5, 8.25)), 2);
    }

    /** The test stack's object store, bucket tuneforge (created if missing). */
    public static ArtifactStore store() {
        var info = LocalStackResource.current();
        ArtifactStore store = new ArtifactStore(new StorageSettings(info.s3Endpoint(), info.s3AccessKey(),
                info.s3SecretKey(), info.s3Region(), "tuneforge"));
        store.ensureBucket();
        return store;
    }

    /** Puts a PEFT adapter (config + weights) where a completed run's adapter is expected. */
    public static void putAdapter(String runId) {
        ArtifactStore store = store();
        store.putBytes("runs/" + runId + "/adapter/adapter_config.json",
                "{\"peft_type\":\"LORA\",\"r\":8}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.putBytes("runs/" + runId + "/adapter/adapter_model.safetensors", new byte[64],
                "application/octet-stream");
    }

    public static TrainingFailed failed(String runId, String message) {
        return TrainingFailed.of(runId, TrainingErrorCode.DATASET_NOT_FOUND, message, List.of(), null);
    }

    public static DatasetPrepared prepared(String datasetId, int version, DatasetVersionRef parent) {
        String prefix = "s3://tuneforge/datasets/" + datasetId + "/v" + version + "/";
        return new DatasetPrepared(1, datasetId, version, DatasetFormat.CONVERSATION,
                new ArtifactRef(prefix + "train.jsonl", "a".repeat(64), 1000),
                new ArtifactRef(prefix + "eval.jsonl", "b".repeat(64), 100),
                new ArtifactRef(prefix + "rejected.jsonl", "c".repeat(64), 10),
                new ArtifactRef(prefix + "manifest.json", "d".repeat(64), 500),
                Map.of("input", 12L, "train", 9L, "eval", 2L, "rejected", 1L), parent,
                parent == null ? "upload" : "augmentation");
    }
}
