package io.tuneforge.bench.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dataset pipeline's records/s and MB/s: libs/dataprep's {@code PipelineBenchmark} (the whole
 * {@code DatasetPipeline} with default settings on a synthetic instruction dataset with planted duplicates, JSONL
 * to a local directory) in a 256 MB heap. Default 100,000 records (~48 MB); {@code --quick} 20,000.
 */
public final class PipelineSection {

    static final String MAIN = "io.tuneforge.dataprep.bench.PipelineBenchmark";
    private static final Pattern PIPELINE = Pattern.compile(
            "pipeline: ([0-9.]+) s, ([0-9,]+) records/s, ([0-9.]+) MB/s");
    private static final Pattern RSS = Pattern.compile("peak RSS \\(VmHWM\\): ([0-9]+) MB");
    private static final Pattern INPUT = Pattern.compile("input: ([0-9,]+) records, ([0-9.]+) MB");

    /** PipelineBenchmark's result lines, read. */
    public record Figures(double seconds, double recordsPerSecond, double megabytesPerSecond, long peakRssMb,
                          long records, double inputMb) {

        static Optional<Figures> parse(List<String> lines) {
            Matcher p = find(lines, PIPELINE);
            Matcher r = find(lines, RSS);
            Matcher i = find(lines, INPUT);
            if (p == null || r == null || i == null) {
                return Optional.empty();
            }
            return Optional.of(new Figures(Double.parseDouble(p.group(1)), number(p.group(2)),
                    Double.parseDouble(p.group(3)), Long.parseLong(r.group(1)), (long) number(i.group(1)),
                    Double.parseDouble(i.group(2))));
        }

        private static Matcher find(List<String> lines, Pattern pattern) {
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            return null;
        }

        private static double number(String s) {
            return Double.parseDouble(s.replace(",", ""));
        }
    }

    private final SuiteOptions options;
    private Double summaryRecordsPerSecond;

    public PipelineSection(SuiteOptions options) {
        this.options = options;
    }

    /** records/s at the summary's thread count, once {@link #run()} measured it. */
    public Optional<Double> recordsPerSecond() {
        return Optional.ofNullable(summaryRecordsPerSecond);
    }

    int records() {
        return options.quick() ? 20_000 : 100_000;
    }

    public SectionReport run() {
        Table table = new Table("threads:", "records:", "input MB:", "wall s:", "records/s:", "MB/s:", "peak RSS MB:",
                "load");
        List<String> commands = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SummaryFigure> figures = new ArrayList<>();
        for (int threads : options.threads()) {
            List<String> cmd = new ArrayList<>(List.of(JavaChild.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    JavaChild.classpath(), MAIN, Integer.toString(records()), Integer.toString(threads)));
            ChildRun run = ChildRun.run(cmd, java.util.Map.of(), options.repoRoot(), Duration.ofMinutes(5));
            commands.add(run.commandLine());
            Optional<Figures> f = run.succeeded() ? Figures.parse(run.lines()) : Optional.empty();
            if (f.isEmpty()) {
                notes.add("PipelineBenchmark (" + threads + " threads) gave no figure: " + run.failure());
                if (threads == options.summaryThreads()) {
                    figures.add(SummaryFigure.missing("Data pipeline records/s", "PipelineBenchmark failed", null));
                }
                continue;
            }
            Figures x = f.get();
            table.row(threads, Fmt.f("%,d", x.records()), Fmt.f("%.1f", x.inputMb()), Fmt.f("%.1f", x.seconds()),
                    Fmt.f("%,.0f", x.recordsPerSecond()), Fmt.f("%.1f", x.megabytesPerSecond()), x.peakRssMb(), run.load());
            if (threads == options.summaryThreads()) {
                summaryRecordsPerSecond = x.recordsPerSecond();
                String cfg = Fmt.f(", %,d records, %d threads", x.records(), threads);
                figures.add(SummaryFigure.plain("Data pipeline records/s" + cfg, Fmt.f("%,.0f", x.recordsPerSecond())));
                figures.add(SummaryFigure.plain("Data pipeline MB/s" + cfg, Fmt.f("%.1f", x.megabytesPerSecond())));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("`DatasetPipeline` with default settings (detect, validate, clean, exact + MinHash near dedup, split,"
                + " manifest) on the synthetic instruction dataset (seed 1, half Chinese, planted duplicates);"
                + " records/s and MB/s over the pipeline's wall time, generation not timed.\n\n");
        sb.append(table.toMarkdown());
        notes.forEach(n -> sb.append("\n* ").append(n));
        sb.append("\n\nCommands:\n\n```\n");
        commands.forEach(c -> sb.append(c).append('\n'));
        sb.append("```\n");
        return new SectionReport("Data pipeline (PipelineBenchmark)", sb.toString(), figures);
    }
}
