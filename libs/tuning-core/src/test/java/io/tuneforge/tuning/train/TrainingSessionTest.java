package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle SftTrainer and PreferenceTrainer share: cleanup on a failed setup, close order, setup errors. */
class TrainingSessionTest {

    @TempDir
    Path dir;

    private TrainingSetup setup(AdapterType adapter, Path out) {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 4, 0);
        Hyperparameters h = TrainFixtures.hyper(1, 1e-3, 2, 1, "constant", 0.0, 1.0, 0, 0);
        TrainingRequest request = TrainFixtures.request(model, adapter,
                adapter == AdapterType.NONE ? null : TrainFixtures.lora(2, 0.0), h);
        return TrainFixtures.setup(request, model, train, null, out, null);
    }

    @Test
    void aRecipeThatFailsHalfWayHasEverythingOwnedClosedLastFirst() {
        List<String> closed = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("recipe failed after its second resource");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                TrainingSession.assemble(setup(AdapterType.LORA, dir.resolve("out")), "training", session -> {
                    assertNotNull(session.model());
                    assertNotNull(session.tokenizer());
                    session.own(() -> closed.add("first"));
                    session.own(() -> {
                        closed.add("second");
                        throw new IllegalStateException("a failing close must not stop the others");
                    });
                    throw failure;
                }));
        assertSame(failure, thrown, "the recipe's own exception is the one reported");
        assertEquals(List.of("second", "first"), closed);
    }

    @Test
    void stagesBuildLoraOrFullTrainingAndCloseOnce() {
        List<String> closed = new ArrayList<>();
        Path out = dir.resolve("out");
        TrainingSession lora = TrainingSession.assemble(setup(AdapterType.LORA, out), "training", session -> {
            session.plan(new int[] {5, 6, 7, 8}, false, session.maxSeqLength());
            assertNotNull(session.attachTrainable());
            session.startOrResume();
            session.own(() -> closed.add("log"));
            return session;
        });
        try (lora) {
            assertEquals(2, lora.plan().totalSteps(), "4 examples in batches of 2, one epoch");
            assertEquals(0, lora.globalStep());
            assertTrue(lora.parameters().master().keySet().stream().allMatch(n -> n.contains("lora_")),
                    "LoRA trains only its matrices: " + lora.parameters().master().keySet());
            assertTrue(Files.isRegularFile(out.resolve(Checkpoint.ARGS_FILE)), "training_args.json written");
        }
        lora.close(); // a second close finds nothing left to close
        assertEquals(List.of("log"), closed);

        try (TrainingSession full = TrainingSession.assemble(setup(AdapterType.NONE, dir.resolve("full")), "training",
                session -> {
                    session.plan(new int[] {5, 6, 7, 8}, false, session.maxSeqLength());
                    assertNull(session.attachTrainable());
                    session.startOrResume();
                    return session;
                })) {
            assertEquals(full.model().parameters().keySet(), full.parameters().master().keySet(),
                    "full fine-tuning trains every weight");
        }
    }

    @Test
    void anOutputThatIsAFileIsRefusedNamingWhatWasBeingSetUp() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () ->
                TrainingSession.assemble(setup(AdapterType.LORA, file.resolve("out")), "preference training",
                        session -> session));
        assertTrue(e.getMessage().startsWith("cannot set up preference training: "), e.getMessage());
    }
}
