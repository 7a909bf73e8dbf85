package io.tuneforge.trainer;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** What the trainer tests share: a broker client on the command, DLQ and event topics, and fixtures in S3. */
public final class TrainerTestSupport {

    public static final String MODEL = "tiny-llama";
    public static final String DATASET = "ds-support";

    private TrainerTestSupport() {
    }

    public static KafkaTestClient kafka() {
        return new KafkaTestClient(LocalStackResource.current().kafkaBootstrapServers(),
                Topics.TRAINING_EVENTS, Topics.dlq(Topics.TRAINING_COMMANDS));
    }

    /** A unique run id for one test. */
    public static String runId(String what) {
        return "run-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A dataset version and a base model as data-service and {@code models import} would leave them. */
    public static void storeFixtures(ArtifactStore store) {
        store.putJson(ObjectKeys.datasetManifest(DATASET, 1), Map.of("datasetId", DATASET, "version", 1,
                "format", "instruction", "counts", Map.of("train", 8, "eval", 2)));
        store.putBytes(ObjectKeys.modelPrefix(MODEL) + "config.json",
                "{\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":64}".getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    public static String validRequest(String runId, ArtifactStore store) {
        return "{\"runId\":\"" + runId + "\",\"baseModel\":\"" + store.uri(ObjectKeys.modelPrefix(MODEL))
                + "\",\"dataset\":{\"id\":\"" + DATASET + "\",\"version\":1},\"hyperparameters\":{\"epochs\":1}}";
    }

    public static <T> T payload(ConsumerRecord<String, String> record, Class<T> type) {
        return Json.read(record.value(), type);
    }
}
