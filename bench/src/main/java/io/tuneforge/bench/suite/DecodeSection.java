package io.tuneforge.bench.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt (prefill) and decode tokens/s with the KV cache, and the decode step's time over its matrix products
 * alone: tuning-core's {@code DecodeBenchmark}, whose Markdown rows are copied into this report and read for the
 * summary. Default: the tiny test model and a random ~100M Llama at batch 1 and 4, 128 prompt + 64 new tokens,
 * median of 3; {@code --quick}: the tiny model only, 64 + 32 tokens, one repeat.
 */
public final class DecodeSection {

    static final String MAIN = "io.tuneforge.tuning.bench.DecodeBenchmark";

    /**
     * One row of DecodeBenchmark's table.
     *
     * @param stepMs   mean decode step
     * @param matmulMs the same step's matrix products alone
     */
    public record Row(String model, String parameters, int batch, double prefillTokensPerSecond,
                      double decodeTokensPerSecond, double stepMs, double matmulMs) {

        /** "| 100m | 134.1M | 1 | 201 | 15.9 | 62.99 | 50.18 | 1.26 |" → a row; the header and rule give none. */
        static java.util.Optional<Row> parse(String line) {
            String[] c = line.split("\\|");
            if (c.length < 9 || !line.startsWith("| ") || c[3].trim().equals("batch") || c[1].startsWith("-")) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(new Row(c[1].trim(), c[2].trim(), Integer.parseInt(c[3].trim()),
                        Double.parseDouble(c[4].trim()), Double.parseDouble(c[5].trim()),
                        Double.parseDouble(c[6].trim()), Double.parseDouble(c[7].trim())));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
    }

    private final SuiteOptions options;

    public DecodeSection(SuiteOptions options) {
        this.options = options;
    }

    List<String> args() {
        return options.quick()
                ? List.of("--models", "tiny", "--batches", "1,4", "--prompt", "64", "--new", "32", "--repeats", "1")
                : List.of("--models", "tiny,100m", "--batches", "1,4", "--prompt", "128", "--new", "64", "--repeats", "3");
    }

    public SectionReport run() {
        Table table = new Table("threads:", "model", "parameters:", "batch:", "prefill tok/s:", "decode tok/s:",
                "decode step ms:", "matmul-only ms:", "step / matmul:", "load");
        List<String> commands = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SummaryFigure> figures = new ArrayList<>();
        for (int threads : options.threads()) {
            ChildRun run = ChildRun.run(JavaChild.command(MAIN, threads, "1g", args()), JavaChild.environment(threads),
                    options.repoRoot(), Duration.ofMinutes(6));
            commands.add(run.commandLine());
            List<Row> rows = run.lines().stream().map(Row::parse).flatMap(java.util.Optional::stream).toList();
            if (!run.succeeded() || rows.isEmpty()) {
                notes.add("DecodeBenchmark (" + threads + " threads) gave no figure: " + run.failure());
            }
            for (Row r : rows) {
                table.row(threads, r.model(), r.parameters(), r.batch(), Fmt.f("%.0f", r.prefillTokensPerSecond()),
                        Fmt.f("%.1f", r.decodeTokensPerSecond()), Fmt.f("%.2f", r.stepMs()), Fmt.f("%.2f", r.matmulMs()),
                        Fmt.ratio(r.stepMs() / r.matmulMs()), run.load());
                if (threads == options.summaryThreads()) {
                    String cfg = ", " + r.model() + " batch " + r.batch() + ", " + threads + " threads";
                    figures.add(SummaryFigure.atMost("Decode step / its matmuls" + cfg, r.stepMs(), "%.2f ms",
                            "matmuls", r.matmulMs(), 2.0));
                    if (r.batch() == 1) {
                        figures.add(SummaryFigure.plain("Prefill tok/s" + cfg, Fmt.f("%.0f", r.prefillTokensPerSecond())));
                        figures.add(SummaryFigure.plain("Decode tok/s" + cfg, Fmt.f("%.1f", r.decodeTokensPerSecond())));
                    }
                }
            }
            if (rows.isEmpty() && threads == options.summaryThreads()) {
                figures.add(SummaryFigure.missing("Decode step / its matmuls", "DecodeBenchmark failed", "≤ 2.0×"));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("`Generator` on CPU in f32, greedy, the prompt copied into every row, EOS off; options ")
                .append(String.join(" ", args())).append(". See the DecodeBenchmark section below for what each column"
                        + " means.\n\n");
        sb.append(table.toMarkdown());
        notes.forEach(n -> sb.append("\n* ").append(n));
        sb.append("\n\nCommands (environment OMP_WAIT_POLICY=PASSIVE):\n\n```\n");
        commands.forEach(c -> sb.append(c).append('\n'));
        sb.append("```\n");
        return new SectionReport("Generation: prefill and decode with the KV cache (DecodeBenchmark)", sb.toString(),
                figures);
    }
}
