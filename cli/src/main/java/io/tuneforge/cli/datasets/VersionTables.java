package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** Plain-text tables of what data-service answers. */
final class VersionTables {

    private VersionTables() {
    }

    /** The answer of an upload: version, format, counts, rejected by reason, files. */
    static void printPublished(PrintWriter out, JsonNode v) {
        out.printf("dataset %s v%d published (%s%s)%n", v.path("datasetId").asText(), v.path("version").asInt(),
                v.path("format").asText(), converted(v));
        counts(out, v.path("counts"));
        reasons(out, v.path("rejectedByReason"));
        out.println("files:");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.path("files").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.printf("  %-15s %10d bytes  sha256 %s%n", f.getKey(), f.getValue().path("sizeBytes").asLong(),
                    f.getValue().path("sha256").asText());
        }
        out.println("manifest: " + v.path("manifestUri").asText());
        if (!v.path("eventPublished").asBoolean(true)) {
            out.println("warning: DatasetPrepared could not be sent; the registry does not know this version yet");
        }
    }

    /** {@code GET /api/datasets}. */
    static void printDatasets(PrintWriter out, JsonNode datasets) {
        if (datasets.isEmpty()) {
            out.println("no datasets yet; upload one with: tuneforge datasets upload FILE --name NAME");
            return;
        }
        out.printf("%-32s %7s %9s %-13s %10s %10s %10s%n", "DATASET", "LATEST", "VERSIONS", "FORMAT", "TRAIN", "EVAL",
                "REJECTED");
        for (JsonNode d : datasets) {
            JsonNode c = d.path("counts");
            out.printf("%-32s %7s %9d %-13s %10d %10d %10d%n", d.path("datasetId").asText(),
                    "v" + d.path("latestVersion").asInt(), d.path("versions").asInt(), d.path("format").asText(""),
                    c.path("train").asLong(), c.path("eval").asLong(), c.path("rejected").asLong());
        }
    }

    /** {@code GET /api/datasets/{name}/versions}. */
    static void printVersions(PrintWriter out, String name, JsonNode versions) {
        out.println("dataset " + name);
        out.printf("%-8s %-13s %10s %10s %10s %10s  %-24s %s%n", "VERSION", "FORMAT", "INPUT", "TRAIN", "EVAL",
                "REJECTED", "CREATED", "PARENT");
        for (JsonNode v : versions) {
            JsonNode c = v.path("counts");
            JsonNode p = v.path("parent");
            out.printf("%-8s %-13s %10d %10d %10d %10d  %-24s %s%n", "v" + v.path("version").asInt(),
                    v.path("format").asText(), c.path("input").asLong(), c.path("train").asLong(),
                    c.path("eval").asLong(), c.path("rejected").asLong(), v.path("createdAt").asText(""),
                    p.isMissingNode() || p.isNull() ? "" : p.path("datasetId").asText() + "/v" + p.path("version").asInt());
        }
    }

    /** {@code GET /api/datasets/{name}/versions/{n}}: the manifest's main facts. */
    static void printManifest(PrintWriter out, String name, int version, JsonNode m) {
        out.printf("dataset %s v%d (%s), created %s%n", name, version, m.path("format").asText(),
                m.path("createdAt").asText());
        JsonNode in = m.path("input");
        out.printf("input: %s, %d bytes%s, %s, sha256 %s%n", in.path("name").asText(), in.path("bytes").asLong(),
                in.path("gzip").asBoolean() ? " (gzip)" : "", in.path("container").asText(), in.path("sha256").asText());
        counts(out, m.path("counts"));
        reasons(out, m.path("rejectedByReason"));
        JsonNode t = m.path("tokens");
        if (t.has("records")) {
            out.printf("tokens per record: min %d, p50 %d, p95 %d, max %d (%s)%n", t.path("min").asLong(),
                    t.path("p50").asLong(), t.path("p95").asLong(), t.path("max").asLong(), t.path("counter").asText());
        }
        out.println("files:");
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("files").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.printf("  %-15s %10d records %12d bytes  sha256 %s%n", f.getKey(), f.getValue().path("records").asLong(),
                    f.getValue().path("bytes").asLong(), f.getValue().path("sha256").asText());
        }
    }

    private static void counts(PrintWriter out, JsonNode c) {
        out.printf("records: %d in = %d train + %d eval + %d rejected%n", c.path("input").asLong(),
                c.path("train").asLong(), c.path("eval").asLong(), c.path("rejected").asLong());
    }

    private static void reasons(PrintWriter out, JsonNode reasons) {
        if (reasons == null || reasons.isMissingNode() || reasons.isEmpty()) {
            return;
        }
        out.println("rejected by reason:");
        for (Iterator<Map.Entry<String, JsonNode>> it = reasons.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            out.printf("  %-24s %d%n", r.getKey(), r.getValue().asLong());
        }
    }

    private static String converted(JsonNode v) {
        String from = v.path("detection").path("format").asText("");
        return !from.isEmpty() && !from.equals(v.path("format").asText()) ? ", converted from " + from : "";
    }
}
