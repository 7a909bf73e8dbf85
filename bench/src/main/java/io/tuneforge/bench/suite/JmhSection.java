package io.tuneforge.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JMH microbenchmarks of this module ({@code io.tuneforge.bench.jmh}: NF4 dequantization, ROUGE-L LCS, MinHash
 * signature) in one forked JMH run, read back from its JSON result file. Default 2 × 1 s warm-up and 3 × 1 s
 * measurement per benchmark; {@code --quick} 1 × 0.3 s and 1 × 0.5 s.
 */
public final class JmhSection {

    static final String PATTERN = "io\\.tuneforge\\.bench\\.jmh\\..*";

    /** One JMH result: benchmark method, its parameters, score ± error in its unit. */
    public record Result(String benchmark, Map<String, String> params, double score, double error, String unit) {

        /** The benchmark's short name: class without "Benchmark", then the method ("Nf4Dequant.device"). */
        public String shortName() {
            String[] parts = benchmark.split("\\.");
            String cls = parts[parts.length - 2].replace("Benchmark", "");
            return cls + "." + parts[parts.length - 1];
        }

        /** What the score means in throughput, where that is simple to say. */
        String derived() {
            if (benchmark.contains("Nf4") && params.containsKey("size") && unit.equals("ms/op")) {
                double n = Math.pow(Double.parseDouble(params.get("size")), 2);
                return Fmt.f("%.2f GB/s f32 out", 4 * n / (score / 1e3) / 1e9);
            }
            if (benchmark.contains("RougeLcs") && params.containsKey("tokens") && unit.equals("us/op")) {
                double cells = Math.pow(Double.parseDouble(params.get("tokens")), 2);
                return Fmt.f("%.0f LCS cells/µs", cells / score);
            }
            if (benchmark.contains("MinHash") && unit.equals("us/op")) {
                return Fmt.f("%,.0f signatures/s", 1e6 / score);
            }
            return "–";
        }

        static List<Result> parse(JsonNode root) {
            List<Result> out = new ArrayList<>();
            for (JsonNode r : root) {
                Map<String, String> params = new java.util.LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
                JsonNode m = r.path("primaryMetric");
                double error = m.path("scoreError").asDouble(Double.NaN);
                out.add(new Result(r.path("benchmark").asText(), params, m.path("score").asDouble(),
                        error, m.path("scoreUnit").asText()));
            }
            return out;
        }
    }

    private final SuiteOptions options;

    public JmhSection(SuiteOptions options) {
        this.options = options;
    }

    List<String> jmhArgs(Path resultFile, int threads) {
        List<String> timing = options.quick()
                ? List.of("-wi", "1", "-w", "300ms", "-i", "1", "-r", "500ms")
                : List.of("-wi", "2", "-w", "1s", "-i", "3", "-r", "1s");
        List<String> args = new ArrayList<>(List.of(PATTERN, "-f", "1"));
        args.addAll(timing);
        args.addAll(List.of("-rf", "json", "-rff", resultFile.toString(), "-jvmArgs",
                "-Xmx1g -XX:+UseSerialGC " + String.join(" ", JavaChild.djlProperties(threads))));
        return args;
    }

    public SectionReport run() {
        int threads = options.summaryThreads();
        Path result;
        try {
            Path dir = Files.createDirectories(options.repoRoot().resolve("bench/target"));
            result = dir.resolve("jmh-result.json");
            Files.deleteIfExists(result);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChildRun run = ChildRun.run(JavaChild.command("org.openjdk.jmh.Main", threads, "256m", jmhArgs(result, threads)),
                JavaChild.environment(threads), options.repoRoot(), Duration.ofMinutes(5));
        List<Result> results = List.of();
        String failure = null;
        try {
            if (run.succeeded() && Files.isRegularFile(result)) {
                results = Result.parse(Json.mapper().readTree(result.toFile()));
            } else {
                failure = run.failure();
            }
        } catch (IOException e) {
            failure = "unreadable " + result + ": " + e.getMessage();
        }
        Table table = new Table("benchmark", "params", "score:", "± (99.9%):", "unit", "derived:");
        List<SummaryFigure> figures = new ArrayList<>();
        for (Result r : results) {
            String params = r.params().isEmpty() ? "–" : r.params().toString().replaceAll("[{}]", "");
            table.row(r.shortName(), params, Fmt.num(r.score()), Fmt.num(r.error()), r.unit(), r.derived());
            figures.add(SummaryFigure.plain("JMH " + r.shortName() + " (" + params + ")",
                    Fmt.num(r.score()) + " " + r.unit()));
        }
        if (failure != null) {
            figures.add(SummaryFigure.missing("JMH kernels", failure, null));
        }
        String md = "JMH " + String.join(" ", jmhArgs(Path.of("bench/target/jmh-result.json"), threads))
                + " (average time per op; DJL with " + threads + " threads for the device path).\n\n"
                + (failure == null ? table.toMarkdown() : "Not measured: " + failure + "\n")
                + "\nCommand:\n\n```\n" + run.commandLine() + "\n```\n";
        return new SectionReport("Hot kernels (JMH)", md, figures);
    }
}
