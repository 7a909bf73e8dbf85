package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code tuneforge datasets upload FILE --name NAME}: sends the file to data-service ({@code POST /api/datasets/NAME},
 * streamed from disk) and prints the new version: counts, rejected records by reason, files. While a large file is
 * prepared, a progress line (from {@code GET /api/datasets/jobs/{id}}) goes to stderr.
 */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload FILE (JSONL, JSON array or CSV; gzip or not) as the next version of dataset NAME.",
                "Exit codes: 0 published; 1 refused or failed (nothing published)."})
public final class UploadCommand implements Callable<Integer> {

    private static final long PROGRESS_ABOVE_BYTES = 16L * 1000 * 1000;

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceUrl service;

    @Parameters(index = "0", paramLabel = "FILE", description = "The dataset file.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Dataset name (id). Default: the file name without its extensions.")
    String name;

    @Option(names = "--eval-ratio", paramLabel = "R", description = "Share of records in eval, 0 <= R < 1.")
    Double evalRatio;

    @Option(names = "--eval-count", paramLabel = "N", description = "Exactly N records in eval.")
    Integer evalCount;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the split.")
    Long seed;

    @Option(names = "--format", paramLabel = "F", description = "auto, instruction, conversation or preference.")
    String format;

    @Option(names = "--to", paramLabel = "F", description = "Convert to conversation or instruction.")
    String to;

    @Option(names = "--near-dup-threshold", paramLabel = "T", description = "Near-duplicate similarity, 0 < T < 1.")
    Double nearDupThreshold;

    @Option(names = "--strip-html", description = "Strip HTML tags (outside code blocks).")
    boolean stripHtml;

    @Option(names = "--redact-pii", description = "Redact e-mails, phone numbers, card and ID numbers.")
    boolean redactPii;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Reject records with more tokens.")
    Integer maxTokens;

    @Option(names = "--parent-version", paramLabel = "N", description = "The version of NAME this one derives from.")
    Integer parentVersion;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any other pipeline setting, e.g. --set nearDedup=false (repeatable).")
    Map<String, String> extra = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the service's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String dataset = name != null ? name : defaultName(file);
        Map<String, String> query = new LinkedHashMap<>();
        put(query, "evalRatio", evalRatio);
        put(query, "evalCount", evalCount);
        put(query, "seed", seed);
        put(query, "format", format);
        put(query, "to", to);
        put(query, "nearDupThreshold", nearDupThreshold);
        put(query, "stripHtml", stripHtml ? true : null);
        put(query, "redactPii", redactPii ? true : null);
        put(query, "maxTokens", maxTokens);
        put(query, "parentVersion", parentVersion);
        query.putAll(extra);
        String jobId = "cli-" + UUID.randomUUID();
        query.put("jobId", jobId);

        DataServiceClient client = service.client();
        PrintWriter err = spec.commandLine().getErr();
        ScheduledExecutorService progress = null;
        if (Files.isRegularFile(file) && Files.size(file) > PROGRESS_ABOVE_BYTES) {
            progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "upload-progress");
                t.setDaemon(true);
                return t;
            });
            JobProgressLine line = new JobProgressLine(client, jobId, err);
            progress.scheduleWithFixedDelay(line, 1, 1, TimeUnit.SECONDS);
        }
        JsonNode version;
        try {
            version = client.upload(dataset, file, query);
        } finally {
            if (progress != null) {
                progress.shutdownNow();
                progress.awaitTermination(2, TimeUnit.SECONDS);
                err.print("\r");
                err.flush();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(version));
        } else {
            VersionTables.printPublished(out, version);
        }
        out.flush();
        return 0;
    }

    private static void put(Map<String, String> query, String key, Object value) {
        if (value != null) {
            query.put(key, String.valueOf(value));
        }
    }

    /** {@code support.v2.jsonl.gz} → {@code support.v2}. */
    static String defaultName(Path file) {
        String n = file.getFileName().toString();
        for (String ext : new String[] {".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv"}) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }
}
