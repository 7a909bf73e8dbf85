package io.tuneforge.eval.testing;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.TrainingSetup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real artifacts for the eval-service tests, made once per JVM: the tiny Llama in {@code models/tiny-eval/}, two
 * LoRA runs trained with SftTrainer for 120 steps each on 16 memorisable records ({@code cK?} → a colour; run B
 * learns the colours in reverse order), with their {@code request.json}, and a dataset version whose eval split is
 * run A's training set.
 */
public final class TinyRuns {

    public static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold",
            "teal", "navy", "lime", "rose", "sand", "plum", "jade", "ruby"};
    public static final String MODEL_KEY = "models/tiny-eval/";

    /**
     * @param modelUri s3:// prefix of the base model
     * @param runA run whose adapter learned cK? → COLOURS[K]
     * @param runB run whose adapter learned cK? → COLOURS[15 − K]
     * @param dataset version whose eval split holds run A's 16 training records
     */
    public record Fixture(String modelUri, String runA, String runB, DatasetVersionRef dataset, String requestJson) {

        public String adapterUri(ArtifactStore store, String runId) {
            return store.uri(ObjectKeys.runAdapter(runId)).toString();
        }
    }

    private static Fixture fixture;

    private TinyRuns() {
    }

    public static synchronized Fixture ensure(ArtifactStore store) {
        if (fixture != null) {
            return fixture;
        }
        try {
            Path dir = Files.createTempDirectory("tiny-runs");
            TinySpec d = TinySpec.defaults();
            Path model = dir.resolve("model");
            // std 0.2: LoRA keeps the LM head frozen, and at the default 0.02 it bounds every logit near ±1.3.
            TinyModel.write(model, new TinySpec(d.seed(), d.architecture(), d.hiddenSize(), d.numLayers(),
                    d.numHeads(), d.numKvHeads(), d.intermediateSize(), d.vocabSize(), d.maxPositionEmbeddings(),
                    d.ropeTheta(), d.rmsNormEps(), d.tieWordEmbeddings(), d.ropeScaling(), d.slidingWindow(), 0.2));
            store.upload(model, MODEL_KEY);
            String modelUri = store.uri(MODEL_KEY).toString();
            String suffix = UUID.randomUUID().toString().substring(0, 8);

            Path forward = records(dir.resolve("forward.jsonl"), false);
            Path reverse = records(dir.resolve("reverse.jsonl"), true);
            String runA = "tiny-a-" + suffix;
            String runB = "tiny-b-" + suffix;
            String requestJson = "{\"runId\": \"%s\", \"baseModel\": \"" + modelUri + "\", \"dataset\": {\"id\":"
                    + " \"ds-colours-" + suffix + "\", \"version\": 1}, \"adapter\": \"lora\", \"lora\": {\"r\": 8,"
                    + " \"alpha\": 16, \"dropout\": 0.05}, \"hyperparameters\": {\"epochs\": 30, \"learningRate\":"
                    + " 0.01, \"batchSize\": 4, \"gradientAccumulation\": 1, \"maxSeqLength\": 64, \"warmupRatio\":"
                    + " 0.05, \"scheduler\": \"cosine\", \"seed\": 42}, \"evaluation\": {\"metrics\": [\"rougeL\","
                    + " \"exactMatch\", \"perplexity\"], \"maxSamples\": 16}}";
            train(store, model, forward, dir.resolve(runA), runA, String.format(requestJson, runA));
            train(store, model, reverse, dir.resolve(runB), runB, String.format(requestJson, runB));

            DatasetVersionRef dataset = new DatasetVersionRef("ds-colours-" + suffix, 1);
            store.put(ObjectKeys.datasetFile(dataset.datasetId(), 1, ObjectKeys.TRAIN_FILE), forward);
            store.put(ObjectKeys.datasetFile(dataset.datasetId(), 1, ObjectKeys.EVAL_FILE), forward);
            store.putJson(ObjectKeys.datasetManifest(dataset.datasetId(), 1), Map.of("version", 1, "records", 16));
            fixture = new Fixture(modelUri, runA, runB, dataset, requestJson);
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training request of {@code runId} as the trainer would have received it. */
    public static TrainingRequest request(Fixture f, String runId) {
        return Json.read(String.format(f.requestJson(), runId), TrainingRequest.class).withDefaults();
    }

    private static void train(ArtifactStore store, Path model, Path records, Path out, String runId, String request)
            throws IOException {
        TrainingRequest parsed = Json.read(request, TrainingRequest.class);
        try (SftTrainer trainer = SftTrainer.setup(new TrainingSetup(parsed, model, records, null, out, null,
                DeviceSettings.cpu()))) {
            trainer.train(null, null);
        }
        store.upload(out.resolve("adapter"), ObjectKeys.runAdapter(runId));
        store.putBytes(ObjectKeys.runRequest(runId), request.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    private static Path records(Path file, boolean reversed) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < COLOURS.length; i++) {
            String colour = COLOURS[reversed ? COLOURS.length - 1 - i : i];
            lines.add("{\"instruction\": \"c" + i + "?\", \"output\": \"" + colour + "\"}");
        }
        return Files.write(file, lines);
    }
}
