package io.tuneforge.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.testing.KafkaTestClient;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.trainer.RunEvents;
import io.tuneforge.trainer.TrainerTestSupport;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.export.gguf.GgufReader;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.tuneforge.trainer.TrainerTestSupport.runId;
import static io.tuneforge.trainer.TrainerTestSupport.smallRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run with {@code export: {merge: true, gguf: q8_0}} publishes the merged model and the GGUF (+ Modelfile) before
 * {@code TrainingCompleted}, which names both; the merged model has the trained adapter's logits.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunExportTest {

    private static final long[] TOKENS = {5, 99, 257, 42, 7};

    @Inject
    ArtifactStore store;

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
            expected = logits(base);
        }
        try (LlamaModel model = LlamaModel.load(dir.resolve("merged"), DeviceSettings.cpu())) {
            merged = logits(model);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - merged[i]));
        }
        assertTrue(worst <= 1e-5, "merged model vs base + trained adapter: " + worst);
    }

    private static float[] logits(LlamaModel model) {
        try (NDManager m = NDManager.newBaseManager();
             NDArray out = model.forward(m.create(TOKENS, new Shape(1, TOKENS.length)), null, null)) {
            return out.toFloatArray();
        }
    }
}
