package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward calls leave nothing behind: 1,000 calls on the tiny model keep the NDArray count of the
 * model's and the caller's managers constant, and resident memory grows by less than
 * {@value #RSS_BOUND_MIB} MiB (measured here: a few MiB, Java heap settling).
 */
class ForwardMemoryTest {

    static final int RSS_BOUND_MIB = 48;

    @TempDir
    Path dir;

    @Test
    void thousandForwardsLeakNoArraysAndLittleMemory() throws IOException {
        TinyModel.write(dir, TinySpec.defaults());
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager caller = NDManager.newBaseManager()) {
            long[] tokens = LlamaModelTest.tokens(16, 11);
            NDArray ids = caller.create(tokens, new Shape(1, 16));
            NDArray mask = caller.ones(new Shape(1, 16), ai.djl.ndarray.types.DataType.INT64);
            for (int i = 0; i < 100; i++) {
                model.forward(ids, mask, null).close();
            }
            int modelArrays = model.manager().getManagedArrays().size();
            int callerArrays = caller.getManagedArrays().size();
            System.gc();
            long rssBefore = rssKib();
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                model.forward(ids, mask, null).close();
            }
            double msPerCall = (System.nanoTime() - start) / 1e6 / 1000;
            System.gc();
            long rssAfter = rssKib();
            System.out.printf("1000 forwards (B=1, T=16): %.2f ms each; RSS %d → %d KiB (%+d KiB)%n", msPerCall,
                    rssBefore, rssAfter, rssAfter - rssBefore);
            assertEquals(modelArrays, model.manager().getManagedArrays().size(), "arrays leaked into the model");
            assertEquals(callerArrays, caller.getManagedArrays().size(), "arrays leaked into the caller's manager");
            assertTrue(rssAfter - rssBefore < RSS_BOUND_MIB * 1024L,
                    "RSS grew by " + (rssAfter - rssBefore) + " KiB over 1000 forwards");
        }
    }

    @Test
    void cachedDecodingKeepsArrayCountsConstant() {
        TinyModel.write(dir, TinySpec.defaults());
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager caller = NDManager.newBaseManager();
             KvCache cache = model.newCache(2, 300)) {
            model.forward(caller.create(LlamaModelTest.tokens(8, 12), new Shape(2, 4)), null, cache).close();
            NDArray next = caller.create(new long[] {65, 66}, new Shape(2, 1));
            model.forwardLast(next, null, cache).close();
            int modelArrays = model.manager().getManagedArrays().size(); // includes the cache's sub-manager
            int callerArrays = caller.getManagedArrays().size();
            for (int i = 0; i < 250; i++) {
                model.forwardLast(next, null, cache).close();
            }
            assertEquals(255, cache.length());
            assertEquals(modelArrays, model.manager().getManagedArrays().size());
            assertEquals(callerArrays, caller.getManagedArrays().size());
        }
    }

    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
