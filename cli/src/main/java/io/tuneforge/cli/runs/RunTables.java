package io.tuneforge.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Plain-text tables of what registry-service answers about runs. */
public final class RunTables {

    private RunTables() {
    }

    /** {@code GET /api/runs}: one page of RunSummaryView. */
    static void printRuns(PrintWriter out, JsonNode page) {
        JsonNode items = page.path("items");
        if (items.isEmpty()) {
            out.println("no runs yet; submit one with: tuneforge submit --request FILE");
            return;
        }
        out.printf("%-36s %-10s %-24s %-20s %12s %7s  %s%n", "RUN", "STATUS", "MODEL", "DATASET", "STEP", "DONE",
                "UPDATED");
        for (JsonNode r : items) {
            out.printf(Locale.ROOT, "%-36s %-10s %-24s %-20s %12s %6.0f%%  %s%n", r.path("runId").asText(),
                    r.path("status").asText(), r.path("modelName").asText(""), dataset(r.path("dataset")),
                    steps(r), r.path("progress").asDouble(0) * 100, r.path("updatedAt").asText(""));
        }
        out.printf("%d of %d runs%n", items.size(), page.path("totalItems").asLong(items.size()));
    }

    /** {@code GET /api/runs/{id}} with its metric series, lineage graph and artifact links. */
    static void printRun(PrintWriter out, JsonNode run, JsonNode metrics, JsonNode lineage, JsonNode artifacts) {
        out.printf("run        %s%n", run.path("runId").asText());
        out.printf("status     %s  (%s)%n", run.path("status").asText(), steps(run));
        JsonNode error = run.path("error");
        if (error.isObject()) {
            out.printf("error      %s: %s%n", error.path("code").asText(), error.path("message").asText());
            for (JsonNode f : error.path("fieldErrors")) {
                out.printf("           %s: %s%n", f.path("path").asText(), f.path("reason").asText());
            }
        }
        out.printf("model      %s (base %s)%n", run.path("modelName").asText(""), run.path("baseModel").asText(""));
        out.printf("dataset    %s%n", dataset(run.path("dataset")));
        JsonNode version = run.path("modelVersion");
        if (version.isObject()) {
            out.printf("version    %s v%d (%s)%n", version.path("modelName").asText(), version.path("version").asInt(),
                    version.path("status").asText());
        }
        out.printf("created    %s, updated %s%n", run.path("createdAt").asText(""), run.path("updatedAt").asText(""));
        JsonNode request = run.path("request");
        if (request.isObject()) {
            out.println("request");
            for (String part : new String[]{"method", "adapter", "lora", "quantization", "hyperparameters",
                    "evaluation", "export"}) {
                if (request.hasNonNull(part)) {
                    out.printf("  %-16s %s%n", part, flat(request.get(part)));
                }
            }
        }
        printMetrics(out, metrics);
        for (JsonNode e : run.path("evaluations")) {
            out.printf("evaluation %s %s %s%n", e.path("evalId").asText(""),
                    e.path("status").asText(""), flat(e.path("metrics")));
        }
        out.println("lineage");
        for (JsonNode edge : lineage.path("edges")) {
            out.printf("  %s --%s--> %s%n", edge.path("from").asText(), edge.path("relation").asText(),
                    edge.path("to").asText());
        }
        out.println("artifacts");
        if (artifacts.isEmpty()) {
            out.println("  (none yet)");
        }
        for (JsonNode a : artifacts) {
            out.printf("  %-40s %12d bytes  %s%n", a.path("name").asText(), a.path("sizeBytes").asLong(),
                    a.path("uri").asText());
        }
    }

    /** The metric series as a table, thinned to at most 12 rows (the first, the last, evenly between). */
    public static void printMetrics(PrintWriter out, JsonNode metrics) {
        if (metrics == null || metrics.isEmpty()) {
            out.println("metrics    (none yet)");
            return;
        }
        out.println("metrics");
        out.printf("  %8s %10s %10s %10s %12s%n", "STEP", "LOSS", "EVAL_LOSS", "LR", "TOKENS/S");
        int n = metrics.size();
        int stride = Math.max(1, (n + 10) / 11);
        for (int i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) {
                continue;
            }
            JsonNode m = metrics.get(i);
            out.printf(Locale.ROOT, "  %8d %10s %10s %10s %12s%n", m.path("step").asLong(),
                    number(m.path("trainLoss"), "%.4f"), number(m.path("evalLoss"), "%.4f"),
                    number(m.path("learningRate"), "%.2e"), number(m.path("tokensPerSecond"), "%.0f"));
        }
    }

    public static String steps(JsonNode run) {
        if (!run.hasNonNull("step")) {
            return "-";
        }
        return run.path("step").asLong() + (run.hasNonNull("totalSteps") ? "/" + run.path("totalSteps").asLong() : "");
    }

    private static String dataset(JsonNode d) {
        return d.isObject() ? d.path("datasetId").asText() + "/v" + d.path("version").asInt() : "-";
    }

    private static String number(JsonNode n, String format) {
        return n.isNumber() ? String.format(Locale.ROOT, format, n.asDouble()) : "-";
    }

    /** {@code a=1 b={c=2}}: an object on one line. */
    static String flat(JsonNode node) {
        if (!node.isObject()) {
            return node.isValueNode() ? node.asText() : node.toString();
        }
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNull()) {
                continue;
            }
            s.append(s.isEmpty() ? "" : " ").append(f.getKey()).append('=')
                    .append(f.getValue().isObject() ? "{" + flat(f.getValue()) + "}" : flat(f.getValue()));
        }
        return s.toString();
    }
}
