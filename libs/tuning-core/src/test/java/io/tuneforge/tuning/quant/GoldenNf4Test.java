package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.weights.SafetensorsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java quantizer against the independent PyTorch reference (src/test/python/nf4_reference.py):
 * tensor "a" is randn(130, 128)·0.02 (260 blocks, two double-quant blocks, the second partial);
 * tensor "b" is 7×37 (odd count, a short last block) with an all-zero block and a block of exact
 * ties (every NF4 threshold with absmax 1).
 */
class GoldenNf4Test {

    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    void codesAndScalesEqualTheReferenceAndDequantizeWithin1e6(String name) {
        try (SafetensorsReader golden = SafetensorsReader.open(QuantTesting.golden());
             NDManager manager = NDManager.newBaseManager()) {
            Shape shape = QuantTesting.shape(golden, name + ".input");
            float[] input = QuantTesting.floats(golden, name + ".input");
            byte[] codes = QuantTesting.bytes(golden, name + ".codes");
            float[] absmax = QuantTesting.floats(golden, name + ".absmax");
            float[] dequant = QuantTesting.floats(golden, name + ".dequant");
            CodeTables tables = CodeTables.create(manager);

            // 1) plain NF4: codes byte-exact, absmax exact, dequantized values within 1e-6 (Java and device paths)
            try (Nf4Tensor t = Nf4Tensor.quantize(input, shape, QuantizationConfig.nf4(false), tables, manager)) {
                assertArrayEquals(codes, t.codes().toByteArray(), name + ": packed NF4 codes");
                assertArrayEquals(absmax, t.absmax().toFloatArray(), 0f, name + ": block absmax");
                assertTrue(QuantTesting.maxAbsDiff(dequant, t.dequantizeToArray()) <= 1e-6, name + ": Java dequant");
                try (NDManager scope = manager.newSubManager()) {
                    NDArray w = t.dequantize(scope, DataType.FLOAT32);
                    assertEquals(shape, w.getShape());
                    double diff = QuantTesting.maxAbsDiff(dequant, w.toFloatArray());
                    assertTrue(diff <= 1e-6, name + ": device dequant differs by " + diff);
                }
            }

            // 2) double quantization: 8-bit codes exact, second-level scales exact, absmax' within 1e-6 relative
            byte[] dqCodes = QuantTesting.bytes(golden, name + ".dq.codes");
            float[] dqScales = QuantTesting.floats(golden, name + ".dq.scales");
            float dqOffset = QuantTesting.floats(golden, name + ".dq.offset")[0];
            float[] dqAbsmax = QuantTesting.floats(golden, name + ".dq.absmax");
            try (Nf4Tensor t = Nf4Tensor.quantize(input, shape, QuantizationConfig.nf4(true), tables, manager)) {
                DoubleQuantizedAbsmax dq = t.doubleQuantized();
                assertArrayEquals(codes, t.codes().toByteArray(), name + ": NF4 codes do not depend on double quant");
                assertEquals(dqOffset, dq.offset(), Math.ulp(dqOffset), name + ": offset = mean(absmax)");
                assertArrayEquals(dqCodes, dq.codes().toByteArray(), name + ": dynamic 8-bit codes of absmax − offset");
                assertArrayEquals(dqScales, dq.scales().toFloatArray(), 0f, name + ": second-level absmax");
                float[] java = dq.dequantizeToArray();
                float[] device;
                try (NDManager scope = manager.newSubManager()) {
                    device = dq.dequantize(scope, tables).toFloatArray();
                }
                for (int i = 0; i < dqAbsmax.length; i++) {
                    double tolerance = 1e-6 * Math.max(Math.abs(dqAbsmax[i]), 1e-3);
                    assertEquals(dqAbsmax[i], java[i], tolerance, name + ": absmax' " + i + " (Java)");
                    assertEquals(dqAbsmax[i], device[i], tolerance, name + ": absmax' " + i + " (device)");
                }
                // the weights then decode with the double-quantized scales
                float[] expected = new float[input.length];
                int[] unpacked = Nf4Codec.unpack(codes, input.length);
                for (int i = 0; i < input.length; i++) {
                    expected[i] = NormalFloat4.value(unpacked[i]) * dqAbsmax[i / 64];
                }
                try (NDManager scope = manager.newSubManager()) {
                    double diff = QuantTesting.maxAbsDiff(expected, t.dequantize(scope, DataType.FLOAT32).toFloatArray());
                    assertTrue(diff <= 1e-6, name + ": device dequant with double quant differs by " + diff);
                }
            }
        }
    }
}
