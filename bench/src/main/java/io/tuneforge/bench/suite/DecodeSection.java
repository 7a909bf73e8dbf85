package io.tuneforge.bench.suite;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prompt (prefill) and decode tokens/s with the KV cache, and the decode step's time over its matrix products
 * alone: tuning-core's {@code DecodeBenchmark}, whose Markdown rows are copied into this report and read for the
 * summary. Default: the tiny test model and a random ~100M Llama at batch 1 and 4, 128 prompt + 64 new tokens,
 * median of 3; {@code --quick}: the tiny model only, 64 + 32 tokens, one repeat.
 *
 * <p>Baseline: the same generations in PyTorch eager ({@code decode_benchmark.py}, same configs and options, its
 * own small Llama with a preallocated KV cache), run right after DecodeBenchmark with the same thread count; it
 * prints the same table, so each config gets a PyTorch row below its Java row and the Java row the ratio
 * Java decode step / PyTorch decode step.
 */
public final class DecodeSection {

    static final String MAIN = "io.tuneforge.tuning.bench.DecodeBenchmark";
    static final String SCRIPT = "libs/tuning-core/src/test/python/decode_benchmark.py";
    static final String PYTORCH = ", PyTorch eager";

    /**
     * One row of DecodeBenchmark's table.
     *
     * @param stepMs   mean decode step
     * @param matmulMs the same step's matrix products alone
     */
    public record Row(String model, String parameters, int batch, double prefillTokensPerSecond,
                      double decodeTokensPerSecond, double stepMs, double matmulMs) {

        /**
         * "| 100m | 134.1M | 1 | 201 | 15.9 | 62.99 | 50.18 | 1.26 |" → a row; the header and rule give none.
         * DecodeBenchmark and decode_benchmark.py print the same table.
         */
        static Optional<Row> parse(String line) {
            String[] c = line.split("\\|");
            if (c.length < 9 || !line.startsWith("| ") || c[3].trim().equals("batch") || c[1].startsWith("-")) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Row(c[1].trim(), c[2].trim(), Integer.parseInt(c[3].trim()),
                        Double.parseDouble(c[4].trim()), Double.parseDouble(c[5].trim()),
                        Double.parseDouble(c[6].trim()), Double.parseDouble(c[7].trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** The same model and batch in another table (the PyTorch baseline of a Java row). */
        Optional<Row> in(List<Row> rows) {
            return rows.stream().filter(r -> r.model().equals(model) && r.batch() == batch).findFirst();
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
                "decode step ms:", "matmul-only ms:", "step / matmul:", "Java step / PyTorch step:", "load");
        boolean python = Files.isRegularFile(options.repoRoot().resolve(SCRIPT));
        List<String> commands = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SummaryFigure> figures = new ArrayList<>();
        for (int threads : options.threads()) {
            ChildRun run = ChildRun.run(JavaChild.command(MAIN, threads, "1g", args()), JavaChild.environment(threads),
                    options.repoRoot(), Duration.ofMinutes(6));
            commands.add(run.commandLine());
            List<Row> rows = run.lines().stream().map(Row::parse).flatMap(Optional::stream).toList();
            if (!run.succeeded() || rows.isEmpty()) {
                notes.add("DecodeBenchmark (" + threads + " threads) gave no figure: " + run.failure());
            }
            ChildRun py = null;
            List<Row> torch = List.of();
            if (python) {
                py = ChildRun.run(pythonCommand(threads), JavaChild.environment(threads), options.repoRoot(),
                        Duration.ofMinutes(6));
                commands.add(py.commandLine());
                torch = py.lines().stream().map(Row::parse).flatMap(Optional::stream).toList();
                if (!py.succeeded() || torch.isEmpty()) {
                    notes.add("decode_benchmark.py (" + threads + " threads) gave no figure: " + py.failure());
                }
            } else {
                notes.add("PyTorch baseline skipped: " + SCRIPT + " is not under " + options.repoRoot());
            }
            for (Row r : rows) {
                Optional<Row> p = r.in(torch);
                table.row(threads, r.model(), r.parameters(), r.batch(), Fmt.f("%.0f", r.prefillTokensPerSecond()),
                        Fmt.f("%.1f", r.decodeTokensPerSecond()), Fmt.f("%.2f", r.stepMs()), Fmt.f("%.2f", r.matmulMs()),
                        Fmt.ratio(r.stepMs() / r.matmulMs()), p.map(b -> Fmt.ratio(r.stepMs() / b.stepMs())).orElse(null),
                        run.load());
                if (p.isPresent()) {
                    Row b = p.get();
                    table.row(threads, b.model() + PYTORCH, b.parameters(), b.batch(),
                            Fmt.f("%.0f", b.prefillTokensPerSecond()), Fmt.f("%.1f", b.decodeTokensPerSecond()),
                            Fmt.f("%.2f", b.stepMs()), Fmt.f("%.2f", b.matmulMs()), Fmt.ratio(b.stepMs() / b.matmulMs()),
                            null, py.load());
                }
                if (threads == options.summaryThreads()) {
                    String cfg = ", " + r.model() + " batch " + r.batch() + ", " + threads + " threads";
                    figures.add(SummaryFigure.atMost("Decode step / its matmuls" + cfg, r.stepMs(), "%.2f ms",
                            "matmuls", r.matmulMs(), 2.0));
                    p.ifPresent(b -> figures.add(new SummaryFigure("Decode step ms, Java / PyTorch eager" + cfg,
                            Fmt.f("%.2f ms", r.stepMs()), "PyTorch eager " + Fmt.f("%.2f ms", b.stepMs()),
                            Fmt.ratio(r.stepMs() / b.stepMs()), null, null)));
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
                        + " means. Rows marked PyTorch eager: the same configs and columns in decode_benchmark.py (plain"
                        + " eager ops as transformers' LlamaModel, preallocated KV cache, inference mode), run right after"
                        + " DecodeBenchmark; Java step / PyTorch step compares the decode step times.\n\n");
        sb.append(table.toMarkdown());
        notes.forEach(n -> sb.append("\n* ").append(n));
        sb.append("\n\nCommands (environment OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=<threads>):\n\n```\n");
        commands.forEach(c -> sb.append(c).append('\n'));
        sb.append("```\n");
        return new SectionReport("Generation: prefill and decode with the KV cache (DecodeBenchmark)", sb.toString(),
                figures);
    }

    /** decode_benchmark.py with DecodeBenchmark's options and the thread count. */
    List<String> pythonCommand(int threads) {
        List<String> cmd = new ArrayList<>(List.of(options.python(), SCRIPT, "--threads", Integer.toString(threads)));
        cmd.addAll(args());
        return cmd;
    }
}
