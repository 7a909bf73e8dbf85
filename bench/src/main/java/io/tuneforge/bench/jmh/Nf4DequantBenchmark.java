package io.tuneforge.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.quant.CodeTables;
import io.tuneforge.tuning.quant.Nf4Tensor;
import io.tuneforge.tuning.quant.QuantizationConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * NF4 dequantization of one {@code size × size} normal(0, 0.02) weight (blocks of 64) on the PyTorch device:
 * {@link Nf4Tensor#dequantize} as {@code Nf4Linear} does it on every forward (int64 indices, {@code embedding}
 * into the (256, 2) pair table, × block absmax), with or without double quantization of the absmax
 * ({@code doubleQuant}). {@link Nf4JavaDequantBenchmark} is the plain-Java path. One op = one whole weight;
 * GB/s of f32 output = 4·size² / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Nf4DequantBenchmark {

    @Param({"2048"})
    public int size;

    @Param({"true", "false"})
    public boolean doubleQuant;

    private NDManager manager;
    private CodeTables tables;
    private Nf4Tensor tensor;

    @Setup(Level.Trial)
    public void setUp() {
        float[] w = normalWeight(size);
        manager = NDManager.newBaseManager();
        tables = CodeTables.create(manager);
        QuantizationConfig config = QuantizationConfig.nf4(doubleQuant);
        tensor = Nf4Tensor.quantize(w, new Shape(size, size), config, tables, manager);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tensor.close();
        tables.close();
        manager.close();
    }

    /** The whole weight dequantized to f32 on the device; the checksum keeps the result live. */
    @Benchmark
    public float device() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = tensor.dequantize(scope, DataType.FLOAT32); // (size, size) f32
            return w.getFloat(size - 1, size - 1);
        }
    }

    /** {@code size²} normal(0, 0.02) values, fixed seed. */
    static float[] normalWeight(int size) {
        float[] w = new float[size * size];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (nextGaussian(random) * 0.02);
        }
        return w;
    }

    private static double nextGaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v); // Box–Muller
    }
}
