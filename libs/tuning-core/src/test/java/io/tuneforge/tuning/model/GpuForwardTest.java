package io.tuneforge.tuning.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bf16 CUDA path against the f32 CPU path (runs only where DJL sees a GPU; see docs/gpu.md).
 * bf16 keeps 8 significant bits, so logits (|x| ≲ 1.5 here) agree to a few hundredths, not 1e-4.
 */
@EnabledIf("hasGpu")
class GpuForwardTest {

    static final double BF16_TOLERANCE = 0.05;

    static boolean hasGpu() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    @TempDir
    Path dir;

    @Test
    void bf16GpuLogitsFollowTheF32CpuLogits() {
        TinyModel.write(dir, TinySpec.defaults().asQwen2());
        long[] ids = LlamaModelTest.tokens(32, 13);
        long[] mask = new long[32];
        java.util.Arrays.fill(mask, 0, 16, 1);
        java.util.Arrays.fill(mask, 22, 32, 1); // second row: 6 pads then 10 tokens
        try (LlamaModel cpu = LlamaModel.load(dir, DeviceSettings.cpu());
             LlamaModel gpu = LlamaModel.load(dir, DeviceSettings.gpu());
             NDManager host = NDManager.newBaseManager()) {
            assertEquals(DataType.BFLOAT16, gpu.parameters().get("model.embed_tokens.weight").getDataType());
            NDArray expected = cpu.forward(host.create(ids, new Shape(2, 16)), host.create(mask, new Shape(2, 16)),
                    null);
            NDArray actual = gpu.forward(host.create(ids, new Shape(2, 16)), host.create(mask, new Shape(2, 16)),
                    null);
            assertEquals(DataType.FLOAT32, actual.getDataType());
            NDArray actualOnHost = actual.toDevice(ai.djl.Device.cpu(), false);
            double worst = Math.max(
                    LlamaModelTest.maxAbsDiff(expected.get(new NDIndex("0:1")), actualOnHost.get(new NDIndex("0:1"))),
                    LlamaModelTest.maxAbsDiff(expected.get(new NDIndex("1:2, 6:")),
                            actualOnHost.get(new NDIndex("1:2, 6:"))));
            System.out.printf("GPU bf16 vs CPU f32: max |Δlogit| = %.4f%n", worst);
            assertTrue(worst <= BF16_TOLERANCE, "bf16 GPU logits differ from f32 CPU logits by " + worst);

            try (KvCache cache = gpu.newCache(2, 16)) {
                NDArray prefill = gpu.forwardLast(host.create(java.util.Arrays.copyOf(ids, 16), new Shape(2, 8)),
                        host.create(java.util.Arrays.copyOf(mask, 16), new Shape(2, 8)), cache);
                assertEquals(new Shape(2, 320), prefill.getShape());
            }
        }
    }
}
