package io.tuneforge.trainer.training;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.trainer.TrainerTestSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an attempt starts from: the latest complete checkpoint in the store, and base models cached by URI + sha. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.training.commands,tuneforge.training.commands.dlq,"
                + "tuneforge.training.events")})
class WorkspaceTest {

    @Inject
    ArtifactStore store;

    @Inject
    Workspace workspace;

    @Inject
    ModelCache models;

    private void put(String key, String text) {
        store.putBytes(key, text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void theLatestCheckpointIsTheNewestOneWhoseTrainerStateWasUploaded() {
        String runId = "run-ckpt-" + UUID.randomUUID().toString().substring(0, 8);
        put(ObjectKeys.runCheckpoint(runId, 5) + "adapter/adapter_config.json", "{}");
        put(ObjectKeys.runCheckpoint(runId, 5) + "trainer_state.json", "{}");
        put(ObjectKeys.runCheckpoint(runId, 20) + "adapter/adapter_config.json", "{}");
        put(ObjectKeys.runCheckpoint(runId, 20) + "trainer_state.json", "{}");
        // step 30 was being uploaded when its replica died: trainer_state.json (uploaded last) is missing
        put(ObjectKeys.runCheckpoint(runId, 30) + "adapter/adapter_config.json", "{}");

        assertEquals(Optional.of(20L), workspace.latestCheckpoint(runId));
        assertEquals(Optional.empty(), workspace.latestCheckpoint("run-never-trained"));
    }

    @Test
    void aBaseModelIsDownloadedOnceAndAgainWhenItsFilesChange() throws Exception {
        TrainerTestSupport.storeFixtures(store);
        String prefix = ObjectKeys.modelPrefix("cache-" + UUID.randomUUID().toString().substring(0, 8));
        Path copy = Files.createTempDirectory("model-copy");
        store.download(ObjectKeys.modelPrefix(TrainerTestSupport.MODEL), copy);
        store.upload(copy, prefix);
        String uri = store.uri(prefix).toString();

        Path first = models.fetch(uri);
        Path marker = Files.writeString(first.resolve("seen-by-test"), "x");
        Path again = models.fetch(uri);
        assertEquals(first, again);
        assertTrue(Files.exists(marker), "the cached copy was reused, not downloaded again");

        put(prefix + "generation_config.json", "{\"max_new_tokens\": 7}");
        Path changed = models.fetch(uri);
        assertNotEquals(first, changed, "a re-uploaded file makes a new copy");
        assertEquals("{\"max_new_tokens\": 7}", Files.readString(changed.resolve("generation_config.json")));
    }
}
