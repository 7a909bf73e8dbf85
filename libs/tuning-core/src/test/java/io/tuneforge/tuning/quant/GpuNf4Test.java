package io.tuneforge.tuning.quant;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NF4 on CUDA with bf16 compute against the CPU f32 path (runs only where DJL sees a GPU; see
 * docs/gpu.md). Codes are made in Java, so they are identical on both devices; the dequantized
 * weight is rounded once to bf16 (8 significant bits: relative error ≤ 2⁻⁹), and a bf16 matmul
 * follows the f32 one to a few hundredths.
 */
@EnabledIf("hasGpu")
class GpuNf4Test {

    static boolean hasGpu() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    @TempDir
    Path dir;

    @Test
    void bf16DequantizationAndForwardFollowTheCpu() {
        DeviceSettings gpu = DeviceSettings.gpu();
        float[] w = QuantTesting.normal(3, 96 * 256, 0.02);
        float[] x = QuantTesting.normal(4, 8 * 256, 1.0);
        try (NDManager g = NDManager.newBaseManager(gpu.device());
             NDManager host = NDManager.newBaseManager(Device.cpu())) {
            Nf4Tensor onGpu = Nf4Tensor.quantize(w, new Shape(96, 256), QuantizationConfig.defaults(),
                    CodeTables.create(g), g);
            Nf4Tensor onCpu = Nf4Tensor.quantize(w, new Shape(96, 256), QuantizationConfig.defaults(),
                    CodeTables.create(host), host);
            assertArrayEquals(onCpu.codes().toByteArray(), onGpu.codes().toByteArray());
            float[] expected = onCpu.dequantizeToArray();
            try (NDManager scope = g.newSubManager()) {
                NDArray bf16 = onGpu.dequantize(scope, DataType.BFLOAT16);
                assertEquals(DataType.BFLOAT16, bf16.getDataType());
                float[] got = bf16.toType(DataType.FLOAT32, false).toDevice(Device.cpu(), false).toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], Math.abs(expected[i]) / 256 + 1e-12, "weight " + i);
                }
                float[] yCpu = new Nf4Linear(onCpu, null).forward(host.create(x, new Shape(8, 256))).toFloatArray();
                NDArray xGpu = scope.create(x, new Shape(8, 256)).toType(DataType.BFLOAT16, false);
                float[] yGpu = new Nf4Linear(onGpu, null).forward(xGpu).toType(DataType.FLOAT32, false)
                        .toDevice(Device.cpu(), false).toFloatArray();
                double diff = QuantTesting.maxAbsDiff(yCpu, yGpu);
                System.out.printf("NF4 linear, GPU bf16 vs CPU f32: max |Δy| = %.4f (max |y| %.3f)%n", diff,
                        QuantTesting.maxAbs(yCpu));
                assertTrue(diff <= 0.02 * QuantTesting.maxAbs(yCpu), "bf16 GPU output differs by " + diff);
            }
        }
    }

    @Test
    void qloraTinyModelOnGpuFollowsTheCpu() {
        TinyModel.write(dir, TinySpec.defaults());
        try (LlamaModel cpu = LlamaModel.load(dir, DeviceSettings.cpu());
             LlamaModel gpu = LlamaModel.load(dir, DeviceSettings.gpu());
             QuantizedModel cpuNf4 = QuantizedModel.quantize(cpu, QuantizationConfig.defaults());
             QuantizedModel gpuNf4 = QuantizedModel.quantize(gpu, QuantizationConfig.defaults());
             NDManager host = NDManager.newBaseManager(Device.cpu())) {
            assertTrue(gpuNf4.bytesPerParameter() <= 0.55);
            NDArray ids = QuantizedModelTest.tokens(host);
            float[] expected = QuantizedModelTest.logits(cpu, ids);
            float[] actual = QuantizedModelTest.logits(gpu, ids);
            double diff = QuantTesting.maxAbsDiff(expected, actual);
            System.out.printf("QLoRA tiny model, GPU bf16 vs CPU f32: max |Δlogit| = %.4f%n", diff);
            // bf16 weights may land a few values in the neighbouring NF4 code; bf16 compute adds ≤ 0.05 (GpuForwardTest)
            assertTrue(diff <= 0.08, "GPU QLoRA logits differ from the CPU ones by " + diff);
        }
    }
}
