package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 500 LoRA steps leave nothing behind: the model's NDArray count is the same at step 500 as at step 50, and
 * resident memory grows by less than {@value #RSS_BOUND_MIB} MiB between them (Java heap settling included).
 */
class TrainingMemoryTest {

    static final int RSS_BOUND_MIB = 32;

    @TempDir
    Path dir;

    @Test
    void fiveHundredStepsKeepArraysAndMemoryFlat() {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"));
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 8, 0);
        // 8 records, batch 2 → 4 steps per epoch; 125 epochs = 500 steps
        Hyperparameters h = TrainFixtures.hyper(125, 1e-4, 2, 1, "cosine", 0.0, 1.0, 0, 0);
        TrainingRequest request = TrainFixtures.request(model, AdapterType.LORA, TrainFixtures.lora(8, 0.05), h);
        long[] at50 = new long[2];
        long[] at500 = new long[2];
        long start = System.nanoTime();
        try (SftTrainer t = SftTrainer.setup(TrainFixtures.setup(request, model, train, null, dir.resolve("out"),
                null))) {
            assertEquals(500, t.plan().totalSteps());
            t.train(new TrainingCallback() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 50 || m.step() == 500) {
                        long[] into = m.step() == 50 ? at50 : at500;
                        System.gc();
                        into[0] = t.model().manager().getManagedArrays().size();
                        into[1] = rssKib();
                    }
                }
            }, null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("500 LoRA steps in %.1f s; arrays %d → %d; RSS %d → %d KiB (%+d KiB)%n", seconds, at50[0],
                at500[0], at50[1], at500[1], at500[1] - at50[1]);
        assertEquals(at50[0], at500[0], "arrays leaked into the model's manager between steps 50 and 500");
        assertTrue(at500[1] - at50[1] < RSS_BOUND_MIB * 1024L, "RSS grew by " + (at500[1] - at50[1])
                + " KiB between steps 50 and 500");
    }

    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
