package io.tuneforge.trainer;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the trainer tests share: a broker client on the command, DLQ and event topics, and real fixtures in S3 — the
 * tiny Llama ({@link TinyModel}, hidden 64, byte-level tokenizer, ChatML) under {@code models/tiny-llama/}, an
 * instruction dataset {@code ds-support} v1 and a preference dataset {@code ds-prefs} v1, each with a manifest as
 * data-service writes it.
 */
public final class TrainerTestSupport {

    public static final String MODEL = "tiny-llama";
    public static final String DATASET = "ds-support";
    public static final String PREFERENCES = "ds-prefs";
    public static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold"};

    /** Stores (by endpoint) that already have the fixtures: a restarted test stack gets them again. */
    private static final java.util.Set<String> STORED = new java.util.HashSet<>();

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

    /** The tiny model and both dataset versions, uploaded once per store. */
    public static synchronized void storeFixtures(ArtifactStore store) {
        if (STORED.contains(store.settings().endpoint().toString())) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("trainer-fixtures");
            TinyModel.write(dir.resolve("model"), TinySpec.defaults());
            store.upload(dir.resolve("model"), ObjectKeys.modelPrefix(MODEL));

            List<String> instructions = new ArrayList<>();
            List<String> pairs = new ArrayList<>();
            for (int k = 0; k < 16; k++) {
                String colour = COLOURS[k % COLOURS.length];
                instructions.add("{\"instruction\": \"Colour " + k + "?\", \"output\": \"" + colour + "\"}");
                pairs.add("{\"prompt\": \"Colour " + k + "?\", \"chosen\": \"" + colour
                        + "\", \"rejected\": \"I will not say.\"}");
            }
            dataset(store, DATASET, "instruction", instructions);
            dataset(store, PREFERENCES, "preference", pairs);
            STORED.add(store.settings().endpoint().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dataset(ArtifactStore store, String id, String format, List<String> records) {
        byte[] train = (String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] eval = (String.join("\n", records.subList(0, 4)) + "\n").getBytes(StandardCharsets.UTF_8);
        store.putBytes(ObjectKeys.datasetFile(id, 1, ObjectKeys.TRAIN_FILE), train, "application/x-ndjson");
        store.putBytes(ObjectKeys.datasetFile(id, 1, ObjectKeys.EVAL_FILE), eval, "application/x-ndjson");
        store.putJson(ObjectKeys.datasetManifest(id, 1), Map.of("schemaVersion", 1, "datasetId", id, "version", 1,
                "format", format, "counts", Map.of("train", records.size(), "eval", 4)));
    }

    public static String modelUri(ArtifactStore store) {
        return store.uri(ObjectKeys.modelPrefix(MODEL)).toString();
    }

    /** A valid one-epoch LoRA SFT request on the instruction dataset. */
    public static String validRequest(String runId, ArtifactStore store) {
        return "{\"runId\":\"" + runId + "\",\"baseModel\":\"" + modelUri(store)
                + "\",\"dataset\":{\"id\":\"" + DATASET + "\",\"version\":1},\"hyperparameters\":{\"epochs\":1}}";
    }

    /**
     * A small request: LoRA r 4 on the tiny model, batch 4 of 16 records (4 steps an epoch), sequence 64, seed 42.
     *
     * @param extra more top-level fields, e.g. {@code "method":"dpo"}, or empty
     * @param epochs epochs (4 steps each)
     * @param checkpointSteps checkpoint every N steps (0: only at the end)
     */
    public static String smallRequest(String runId, ArtifactStore store, String dataset, String extra, int epochs,
                                      int checkpointSteps) {
        return "{\"runId\":\"" + runId + "\",\"baseModel\":\"" + modelUri(store) + "\",\"dataset\":{\"id\":\""
                + dataset + "\",\"version\":1}," + (extra.isEmpty() ? "" : extra + ",")
                + "\"lora\":{\"r\":4,\"alpha\":8,\"dropout\":0.0},"
                + "\"hyperparameters\":{\"epochs\":" + epochs + ",\"learningRate\":0.01,\"batchSize\":4,"
                + "\"gradientAccumulation\":1,\"maxSeqLength\":64,\"warmupSteps\":0,\"scheduler\":\"constant\","
                + "\"seed\":42,\"checkpointSteps\":" + checkpointSteps + ",\"evalSteps\":0}}";
    }

    public static <T> T payload(ConsumerRecord<String, String> record, Class<T> type) {
        return Json.read(record.value(), type);
    }
}
