package io.tuneforge.bench.jmh;

import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.dedup.MinHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The MinHash signature of one record's text as the dataset pipeline's near-duplicate stage computes it
 * ({@link MinHasher#signature}: 128 permutations over 5-character shingles, the pipeline's defaults), for an
 * English-like text of {@code chars} characters. One op = one signature; the work is
 * (chars − 4) shingles × 128 multiply-adds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MinHashBenchmark {

    @Param({"480"})
    public int chars;

    private MinHasher hasher;
    private String text;

    @Setup(Level.Trial)
    public void setUp() {
        PipelineSettings defaults = PipelineSettings.builder().build();
        hasher = new MinHasher(defaults.numPermutations(), defaults.shingleSize(), 42);
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder(chars + 16);
        while (sb.length() < chars) {
            int letters = 2 + random.nextInt(8);
            for (int i = 0; i < letters; i++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            sb.append(' ');
        }
        text = sb.substring(0, chars);
    }

    @Benchmark
    public int[] signature() {
        return hasher.signature(text);
    }

    String text() {
        return text;
    }

    MinHasher hasher() {
        return hasher;
    }
}
