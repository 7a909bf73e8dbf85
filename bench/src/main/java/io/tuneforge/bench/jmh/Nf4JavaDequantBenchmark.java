package io.tuneforge.bench.jmh;

import io.tuneforge.tuning.quant.Nf4Codec;
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

import java.util.concurrent.TimeUnit;

/**
 * NF4 dequantization in plain Java ({@link Nf4Codec#dequantizeNf4}: the reference path of export and tests) of the
 * same weight as {@link Nf4DequantBenchmark}, to row-major f32. One op = one whole weight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Nf4JavaDequantBenchmark {

    @Param({"2048"})
    public int size;

    private Nf4Codec.Nf4Blocks blocks;

    @Setup(Level.Trial)
    public void setUp() {
        blocks = Nf4Codec.quantizeNf4(Nf4DequantBenchmark.normalWeight(size), QuantizationConfig.DEFAULT_BLOCK_SIZE);
    }

    @Benchmark
    public float[] dequantize() {
        return Nf4Codec.dequantizeNf4(blocks.packed(), blocks.absmax(), size * size, QuantizationConfig.DEFAULT_BLOCK_SIZE);
    }
}
