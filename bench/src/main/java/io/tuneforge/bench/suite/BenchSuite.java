package io.tuneforge.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark suite in one run (issue 13): training tokens/s and peak RSS against PyTorch eager, decode and
 * prefill with the KV cache, the data pipeline (in process and through data-service's REST API), registry ingestion
 * through the broker, and the JMH kernels; then a
 * summary of the figures with their baselines and targets. Prints Markdown to stdout (progress to stderr), and
 * writes it to {@code --output} too. Options: {@link SuiteOptions}. Start it with {@code bench/run}.
 */
public final class BenchSuite {

    private BenchSuite() {
    }

    public static void main(String[] args) throws IOException {
        SuiteOptions options;
        try {
            options = SuiteOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double loadStart = Machine.loadAverage();
        List<SectionReport> reports = new ArrayList<>();
        PipelineSection pipeline = new PipelineSection(options);
        ServiceStack stack = null;
        try {
            for (String section : SuiteOptions.SECTIONS) {
                if (!options.runs(section)) {
                    continue;
                }
                System.err.println("== " + section + " (load average " + Machine.formatLoad(Machine.loadAverage()) + ")");
                if ((section.equals("dataservice") || section.equals("registry")) && stack == null) {
                    try {
                        stack = ServiceStack.start(options.repoRoot());
                    } catch (RuntimeException e) {
                        reports.add(new SectionReport("Services (" + section + ")", "Not measured: the stack did not"
                                + " start: " + e + "\n", List.of(SummaryFigure.missing(section, e.getMessage(), null))));
                        continue;
                    }
                }
                reports.add(switch (section) {
                    case "train" -> new TrainSection(options).run();
                    case "decode" -> new DecodeSection(options).run();
                    case "pipeline" -> pipeline.run();
                    case "dataservice" -> new DataServiceSection(options).run(stack, pipeline.recordsPerSecond());
                    case "registry" -> new RegistryIngestSection(options).run(stack);
                    case "jmh" -> {
                        if (stack != null) { // the broker and PostgreSQL would compete with the kernels
                            stack.close();
                            stack = null;
                        }
                        yield new JmhSection(options).run();
                    }
                    default -> throw new IllegalStateException("no section " + section);
                });
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        long seconds = ChronoUnit.SECONDS.between(start, Instant.now());
        String report = render(options, start, seconds, loadStart, Machine.loadAverage(), reports);
        System.out.print(report);
        if (options.output() != null) {
            Files.writeString(options.output(), report);
            System.err.println("report written to " + options.output());
        }
    }

    static String render(SuiteOptions options, Instant start, long seconds, double loadStart, double loadEnd,
                         List<SectionReport> reports) {
        StringBuilder sb = new StringBuilder();
        sb.append("# TuneForge benchmark suite — ").append(start).append("\n\n");
        sb.append("* machine: ").append(Machine.describe()).append('\n');
        sb.append("* threads: ").append(options.threads()).append(options.quick() ? ", --quick" : "")
                .append("; summary at ").append(options.summaryThreads()).append(" threads\n");
        sb.append("* load average: ").append(Machine.formatLoad(loadStart)).append(" at the start, ")
                .append(Machine.formatLoad(loadEnd)).append(" at the end; the suite took ").append(seconds)
                .append(" s\n");
        sb.append("* `$CP` = bench/target/classes:bench/target/lib/* (bench's runtime classpath, copied at build time)\n\n");
        Table summary = new Table("figure", "this run", "baseline", "ratio", "target (issue 13)", "met");
        for (SectionReport r : reports) {
            for (SummaryFigure f : r.figures()) {
                summary.row(f.figure(), f.thisRun(), f.baseline(), f.ratio(), f.target(), f.met());
            }
        }
        sb.append("## Summary\n\n").append(summary.toMarkdown()).append('\n');
        for (SectionReport r : reports) {
            sb.append("## ").append(r.title()).append("\n\n").append(r.markdown()).append('\n');
        }
        return sb.toString();
    }
}
