package io.tuneforge.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.dataprep.bench.SyntheticDataset;
import io.tuneforge.launcher.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * data-service's pipeline through its REST path: the packaged service on the shared stack, the same synthetic file as
 * {@link PipelineSection} (seed 1, same record count) uploaded with {@code POST /api/datasets/{name}}, timed until the
 * 201 that answers a published version (parse, pipeline, four files and the manifest written to S3Proxy,
 * DatasetPrepared published). One small upload first warms the service up. Compared with the in-process pipeline's
 * records/s of the same run.
 */
public final class DataServiceSection {

    private final SuiteOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DataServiceSection(SuiteOptions options) {
        this.options = options;
    }

    int records() {
        return options.quick() ? 20_000 : 100_000;
    }

    /**
     * @param inProcess the pipeline section's records/s at the summary's thread count, when it measured one
     */
    public SectionReport run(ServiceStack stack, Optional<Double> inProcess) {
        String title = "Data pipeline through data-service's REST API (packaged)";
        String figure = Fmt.f("data-service upload records/s, %,d records", records());
        Path dir = null;
        try {
            dir = Files.createTempDirectory("bench-upload-");
            Path warm = dir.resolve("warm.jsonl");
            Path file = dir.resolve("synthetic.jsonl");
            SyntheticDataset.write(warm, 1_000, 2);
            SyntheticDataset.Stats stats = SyntheticDataset.write(file, records(), 1);
            double loadBefore = Machine.loadAverage();
            long t0 = System.nanoTime();
            ServiceProcess data = stack.service("data-service", "512m", Map.of());
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            upload(data, "bench-warm-" + UUID.randomUUID().toString().substring(0, 8), warm);
            long t1 = System.nanoTime();
            JsonNode version = upload(data, "bench-" + UUID.randomUUID().toString().substring(0, 8), file);
            double seconds = (System.nanoTime() - t1) / 1e9;
            double loadAfter = Machine.loadAverage();
            JsonNode counts = version.path("counts");
            if (counts.path("input").asLong() != stats.records()) {
                throw new IllegalStateException("data-service counted " + counts.path("input") + " input records of "
                        + stats.records() + " uploaded: " + version);
            }
            double perSecond = stats.records() / seconds;
            Table table = new Table("records:", "input MB:", "upload → 201 s:", "records/s:", "MB/s:", "train:", "eval:",
                    "rejected:", "service start s:", "load");
            table.row(Fmt.f("%,d", stats.records()), Fmt.f("%.1f", stats.bytes() / 1e6), Fmt.f("%.1f", seconds),
                    Fmt.f("%,.0f", perSecond), Fmt.f("%.1f", stats.bytes() / 1e6 / seconds),
                    Fmt.f("%,d", counts.path("train").asLong()), Fmt.f("%,d", counts.path("eval").asLong()),
                    Fmt.f("%,d", counts.path("rejected").asLong()), Fmt.f("%.1f", startSeconds),
                    Machine.formatLoad(loadBefore) + " → " + Machine.formatLoad(loadAfter));
            List<SummaryFigure> figures = new ArrayList<>();
            figures.add(inProcess.map(base -> new SummaryFigure(figure, Fmt.f("%,.0f", perSecond),
                            "in-process pipeline " + Fmt.f("%,.0f", base), Fmt.ratio(perSecond / base), null, null))
                    .orElse(SummaryFigure.plain(figure, Fmt.f("%,.0f", perSecond))));
            String md = "`POST /api/datasets/{name}` with the PipelineBenchmark file (seed 1, " + Fmt.f("%,d", records())
                    + " records) as `application/x-ndjson`, default settings, after one 1,000-record warm-up upload;"
                    + " timed until the 201 (version published to S3Proxy, DatasetPrepared sent). data-service runs"
                    + " as `tuneforge up` starts it (512 MB heap, serial GC, C1 only).\n\n" + table.toMarkdown()
                    + "\nCommand: `bench/run --only pipeline,dataservice`.\n";
            return new SectionReport(title, md, figures);
        } catch (IOException | RuntimeException e) {
            return new SectionReport(title, "Not measured: " + e + "\n",
                    List.of(SummaryFigure.missing(figure, e.getClass().getSimpleName() + ": " + e.getMessage(), null)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while uploading to data-service", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private JsonNode upload(ServiceProcess data, String name, Path file) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(data.baseUri() + "/api/datasets/" + name))
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/datasets/" + name + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it
        }
    }
}
