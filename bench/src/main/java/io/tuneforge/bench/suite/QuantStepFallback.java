package io.tuneforge.bench.suite;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * QLoRA step vs LoRA step from tuning-core's {@code QuantBenchmark} (one LoRA step, r 16 on all seven projections,
 * batch 1 × 128 tokens, over the ~100M Llama's f32 base and then its NF4 + double-quant base, in one process), for
 * when {@code TrainBenchmark} has no {@code --mode qlora}. Its rows read
 * {@code | f32 | 1053 | 1.00× | 1466 MiB | 1528 MiB |} and {@code | NF4 + double quant | 1197 | 1.14× | … |}.
 */
public final class QuantStepFallback {

    static final String MAIN = "io.tuneforge.tuning.bench.QuantBenchmark";
    static final List<String> ARGS = List.of("--size", "1024", "--tokens", "128", "--repeats", "6", "--model", "100m");

    /** The two step times, and the run that measured them. */
    public record Steps(double loraMs, double qloraMs, ChildRun run) {
    }

    private QuantStepFallback() {
    }

    public static Optional<Steps> measure(SuiteOptions options, int threads) {
        ChildRun run = ChildRun.run(JavaChild.command(MAIN, threads, "2g", ARGS), JavaChild.environment(threads),
                options.repoRoot(), Duration.ofMinutes(5));
        return parse(run.lines()).map(ms -> new Steps(ms[0], ms[1], run));
    }

    /** {f32 step ms, NF4 + double quant step ms} from QuantBenchmark's model-step table. */
    static Optional<double[]> parse(List<String> lines) {
        Double f32 = null;
        Double nf4 = null;
        for (String line : lines) {
            String[] c = line.split("\\|");
            if (c.length < 4 || !c[3].trim().endsWith("×")) {
                continue;
            }
            String base = c[1].trim();
            try {
                if (base.equals("f32")) {
                    f32 = Double.parseDouble(c[2].trim());
                } else if (base.equals("NF4 + double quant")) {
                    nf4 = Double.parseDouble(c[2].trim());
                }
            } catch (NumberFormatException e) {
                // a row of another table
            }
        }
        return f32 == null || nf4 == null ? Optional.empty() : Optional.of(new double[] {f32, nf4});
    }
}
