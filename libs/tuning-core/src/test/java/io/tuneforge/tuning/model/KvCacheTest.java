package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static io.tuneforge.tuning.model.TinyModelFixture.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache's two paths give what one full forward gives: one-token steps (the key bias as the mask, seen counts
 * as positions) and multi-token calls after them (the causal mask built from the same key bias), with a sliding
 * window that the sequence outgrows and with a row that turns to padding mid-way. Both start without a token mask
 * (every token real: the cache keeps no key bias until a window or the first padding needs one).
 */
class KvCacheTest {

    @TempDir
    Path dir;

    @Test
    void slidingWindowDecodingAndChunksAfterStepsEqualTheFullForward() {
        TinyModel.write(dir, TinySpec.defaults().withSeed(13).asMistral(8));
        long[] seq = LlamaModelTest.tokens(30, 4);
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager manager = NDManager.newBaseManager();
             KvCache cache = model.newCache(1, 30)) {
            assertEquals(Integer.valueOf(8), model.config().slidingWindow());
            NDArray full = model.forward(manager.create(seq, new Shape(1, 30)), null, null);           // (1, 30, V)
            NDArray prefill = model.forward(manager.create(Arrays.copyOf(seq, 5), new Shape(1, 5)), null, cache);
            double worst = maxAbsDiff(full.get(new NDIndex(":, :5")), prefill);
            int t = 5;
            while (t < 30) {
                int n = t >= 14 && t < 18 ? 4 : 1;             // one-token steps past the window, a 4-token chunk, steps
                long[] chunk = Arrays.copyOfRange(seq, t, t + n);
                NDArray out = model.forward(manager.create(chunk, new Shape(1, n)), null, cache);
                worst = Math.max(worst, maxAbsDiff(full.get(new NDIndex(":, {}:{}", t, t + n)), out));
                t += n;
            }
            assertEquals(30, cache.length());
            assertArrayEquals(new long[] {30}, cache.seenTokens());
            assertTrue(worst <= 1e-5, "sliding-window cached decoding differs from the full forward by " + worst);
        }
    }

    @Test
    void aRowFedPaddingKeepsItsCountAndTheOtherRowIsUnchanged() {
        TinyModel.write(dir, TinySpec.defaults());
        long[] a = LlamaModelTest.tokens(14, 5);
        long[] b = LlamaModelTest.tokens(14, 6);
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager manager = NDManager.newBaseManager();
             KvCache cache = model.newCache(2, 14)) {
            NDArray fullA = model.forward(manager.create(a, new Shape(1, 14)), null, null);            // (1, 14, V)
            long[] prompt = new long[16];
            System.arraycopy(a, 0, prompt, 0, 8);
            System.arraycopy(b, 0, prompt, 8, 8);
            model.forwardLast(manager.create(prompt, new Shape(2, 8)), null, cache);
            double worst = 0;
            for (int t = 8; t < 14; t++) {
                boolean bDone = t >= 10;                       // row b finishes after two steps: pad id, mask 0
                NDArray ids = manager.create(new long[] {a[t], bDone ? 0 : b[t]}, new Shape(2, 1));
                // no mask while every row is real (no key bias kept, no mask added), then the first padded mask
                NDArray mask = bDone ? manager.create(new long[] {1, 0}, new Shape(2, 1)) : null;
                NDArray last = model.forwardLast(ids, mask, cache);                                    // (2, V)
                worst = Math.max(worst, maxAbsDiff(last.get(new NDIndex("0")), fullA.get(new NDIndex("0, {}", t))));
                assertTrue(Float.isFinite(last.get(new NDIndex("1")).max().getFloat()), "the padded row stays finite");
            }
            assertArrayEquals(new long[] {14, 10}, cache.seenTokens());
            assertTrue(worst <= 1e-5, "the active row differs from its full forward by " + worst);
        }
    }
}
