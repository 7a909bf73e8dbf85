package io.tuneforge.tuning.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints appear whole or not at all; the latest complete one is found. */
class CheckpointTest {

    @TempDir
    Path out;

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        Path ok = Checkpoint.write(out, 5, dir -> Files.writeString(dir.resolve(Checkpoint.TRAINER_STATE_FILE), "{}"));
        assertEquals(out.resolve("checkpoints/step-5"), ok);
        assertThrows(java.io.UncheckedIOException.class, () -> Checkpoint.write(out, 10, dir -> {
            Files.writeString(dir.resolve(Checkpoint.TRAINER_STATE_FILE), "{}");
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(out.resolve("checkpoints/step-10")));
        try (var children = Files.list(out.resolve("checkpoints"))) {
            assertEquals(1, children.count(), "no temp directory left");
        }
        assertEquals(ok, Checkpoint.latest(out).orElseThrow());
    }

    @Test
    void latestSkipsIncompleteDirectoriesAndResolveAcceptsEither() throws IOException {
        for (long step : new long[] {2, 10, 4}) {
            Checkpoint.write(out, step, dir -> Files.writeString(dir.resolve(Checkpoint.TRAINER_STATE_FILE), "{}"));
        }
        Files.createDirectories(out.resolve("checkpoints/step-99")); // no trainer_state.json: not a checkpoint
        Path latest = Checkpoint.latest(out).orElseThrow();
        assertEquals(10, Checkpoint.stepOf(latest));
        assertEquals(latest, Checkpoint.resolve(out));
        assertEquals(out.resolve("checkpoints/step-4"), Checkpoint.resolve(out.resolve("checkpoints/step-4")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.resolve(out.resolve("nowhere")));
        assertTrue(e.getMessage().contains("holds no checkpoint"), e.getMessage());
    }

    @Test
    void rewritingAStepReplacesIt() throws IOException {
        Checkpoint.write(out, 3, dir -> Files.writeString(dir.resolve(Checkpoint.TRAINER_STATE_FILE), "{\"a\":1}"));
        Path again = Checkpoint.write(out, 3,
                dir -> Files.writeString(dir.resolve(Checkpoint.TRAINER_STATE_FILE), "{\"a\":2}"));
        assertEquals("{\"a\":2}", Files.readString(again.resolve(Checkpoint.TRAINER_STATE_FILE)));
        assertTrue(Files.isDirectory(again));
    }
}
