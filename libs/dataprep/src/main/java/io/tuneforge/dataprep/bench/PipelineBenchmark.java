package io.tuneforge.dataprep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.DatasetPipeline;
import io.tuneforge.dataprep.PipelineResult;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.sink.LocalDirectorySink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Throughput and memory of the whole pipeline on {@link SyntheticDataset} (default 200,000 records, seed 1):
 * generates the file, runs read → detect → validate → clean → exact and near dedup → split → write, and prints
 * records/s, MB/s and the peak resident set size ({@code VmHWM} of {@code /proc/self/status}).
 *
 * <pre>
 * java -Xmx512m -XX:+UseSerialGC -cp ... io.tuneforge.dataprep.bench.PipelineBenchmark [records] [threads]
 * </pre>
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1])
                : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Path work = Files.createTempDirectory("dataprep-bench-");
        try {
            Path input = work.resolve("synthetic.jsonl");
            long t0 = System.nanoTime();
            SyntheticDataset.Stats generated = SyntheticDataset.write(input, records, 1);
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "input: %,d records, %.1f MB (%,d exact and %,d near duplicates planted), "
                            + "generated in %.1f s%n", generated.records(), generated.bytes() / 1e6,
                    generated.exactDuplicates(), generated.nearDuplicates(), genSeconds);

            PipelineSettings settings = PipelineSettings.builder().threads(threads).tempDir(work.resolve("tmp")).build();
            long t1 = System.nanoTime();
            PipelineResult result = new DatasetPipeline(settings)
                    .run(DatasetInput.of(input), new LocalDirectorySink(work.resolve("out")), null);
            double seconds = (System.nanoTime() - t1) / 1e9;

            System.out.printf(Locale.ROOT, "pipeline: %.2f s, %,.0f records/s, %.1f MB/s (threads %d, %d cores, "
                            + "max heap %d MB)%n", seconds, records / seconds, generated.bytes() / 1e6 / seconds, threads,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "result: train %,d, eval %,d, rejected %,d %s; format %s%n", result.train(),
                    result.eval(), result.rejected(), result.statistics().rejectedByReason(),
                    result.detection().describe());
            System.out.printf(Locale.ROOT, "peak RSS (VmHWM): %s%n", peakRss());
            System.out.println(checkAgainstPlanted(work.resolve("out").resolve("rejected.jsonl"), generated));
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** How the rejected duplicates match the planted ones: found, missed, and rejected without being planted. */
    static String checkAgainstPlanted(Path rejected, SyntheticDataset.Stats planted) throws IOException {
        long exactAsExact = 0;
        long nearAsNear = 0;
        long nearAsExact = 0;
        long notPlanted = 0;
        try (Stream<String> lines = Files.lines(rejected)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode r = Json.mapper().readTree(line);
                int n = r.get("line").asInt();
                String code = r.at("/reasons/0/code").asText();
                boolean exact = "exact_duplicate".equals(code);
                if (planted.exactLines().get(n) && exact) {
                    exactAsExact++;
                } else if (planted.nearLines().get(n)) {
                    if (exact) {
                        nearAsExact++;
                    } else {
                        nearAsNear++;
                    }
                } else {
                    notPlanted++;
                }
            }
        }
        return String.format(Locale.ROOT, "planted exact duplicates found: %,d of %,d; planted near duplicates found: "
                        + "%,d of %,d (%,d of them as exact duplicates: edits that changed nothing); rejected but not "
                        + "planted: %,d", exactAsExact, planted.exactDuplicates(), nearAsNear + nearAsExact,
                planted.nearDuplicates(), nearAsExact, notPlanted);
    }

    /** {@code VmHWM} from {@code /proc/self/status}, or "unknown" off Linux. */
    static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown (no /proc/self/status)";
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
            }
        }
        return "unknown";
    }
}
