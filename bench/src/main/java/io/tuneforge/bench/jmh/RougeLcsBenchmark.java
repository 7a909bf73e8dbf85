package io.tuneforge.bench.jmh;

import io.tuneforge.tuning.metrics.PrfScore;
import io.tuneforge.tuning.metrics.Rouge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * ROUGE-L of one prediction against one reference of {@code tokens} tokens each ({@link Rouge#rougeL}: the
 * longest common subsequence by dynamic programming, then precision/recall/F). The texts are drawn from a
 * 500-word vocabulary and share about half their tokens in order, as a tuned model's answer does its reference.
 * One op = one pair; the work is tokens² cells of the LCS table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RougeLcsBenchmark {

    @Param({"64", "256"})
    public int tokens;

    private List<String> prediction;
    private List<String> reference;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        reference = new ArrayList<>(tokens);
        prediction = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            String word = "w" + random.nextInt(500);
            reference.add(word);
            prediction.add(random.nextBoolean() ? word : "w" + random.nextInt(500));
        }
    }

    @Benchmark
    public PrfScore rougeL() {
        return Rouge.rougeL(prediction, reference);
    }

    List<String> prediction() {
        return prediction;
    }

    List<String> reference() {
        return reference;
    }
}
