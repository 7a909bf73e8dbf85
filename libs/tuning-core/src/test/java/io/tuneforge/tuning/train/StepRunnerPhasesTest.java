package io.tuneforge.tuning.train;

import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full fine-tuning step of the tiny model: its phases are timed, and the one-pass AdamW takes every parameter. */
class StepRunnerPhasesTest {

    @TempDir
    Path dir;

    @Test
    void timesEachPhaseAndUpdatesEveryParameterInPlace() {
        long[] ids = {5, 17, 42, 7, 99, 3, 64, 12};
        List<TokenizedExample> rows = List.of(new TokenizedExample(ids, ids.clone(), false),
                new TokenizedExample(ids.clone(), ids.clone(), false));
        BatchCollator collator = new BatchCollator(0, false, ids.length);
        try (LlamaModel model = LlamaModel.load(TrainFixtures.tinyModel(dir), DeviceSettings.cpu());
             TrainableParameters params = new TrainableParameters(model.parameters());
             AdamW optimizer = new AdamW(DeviceSettings.cpu().device(), 0.01, SftTrainer.FULL_FINE_TUNING_DECAY);
             StepRunner runner = new StepRunner(model, params, optimizer, new LrSchedule("constant", 1e-3, 0, 2),
                     1.0)) {
            assertNull(runner.lastPhases(), "no step yet");
            for (int s = 0; s < 2; s++) {
                runner.run(s, 1, (i, m) -> collator.collate(rows, m));
            }
            StepPhases p = runner.lastPhases();
            assertTrue(p.forwardMs() > 0 && p.backwardMs() > 0 && p.clipMs() > 0 && p.optimizerMs() > 0
                    && p.zeroGradMs() > 0, p.toString());
            assertTrue(p.otherMs() >= 0 && p.otherMs() < p.totalMs(), "the named phases fit in the step: " + p);
            int trained = params.master().size();
            assertEquals(2L * trained, optimizer.inPlaceUpdates(),
                    "all " + trained + " parameters took the one-pass update in both steps");
            params.model().values().forEach(a -> {
                try (var g = a.getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), "gradients are zeroed after the step");
                }
            });
        }
    }
}
