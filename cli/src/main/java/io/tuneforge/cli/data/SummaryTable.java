package io.tuneforge.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.dataprep.PipelineResult;
import io.tuneforge.dataprep.sink.WrittenFile;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The summary {@code tuneforge data prepare} prints: counts per stage and reason, cleaning, split and files. */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(PrintStream out, String inputName, String outputDir, PipelineResult result) {
        JsonNode m = result.manifest();
        out.printf(Locale.ROOT, "Prepared %s -> %s%n", inputName, outputDir);
        out.printf(Locale.ROOT, "format: %s%s%n", result.detection().describe(),
                result.outputFormat() != result.detection().format()
                        ? ", converted to " + result.outputFormat().wireName() : "");
        out.printf(Locale.ROOT, "input: %s, %s%s, %,d records%n", m.at("/input/container").asText(),
                Sizes.bytes(m.at("/input/bytes").asLong()), m.at("/input/gzip").asBoolean() ? " gzip" : "",
                result.input());
        out.println();
        out.printf(Locale.ROOT, "%-13s %12s %12s %12s%n", "stage", "in", "out", "rejected");
        for (JsonNode stage : m.get("stages")) {
            out.printf(Locale.ROOT, "%-13s %,12d %,12d %,12d%n", stage.get("stage").asText(), stage.get("in").asLong(),
                    stage.get("out").asLong(), stage.get("rejected").asLong());
        }
        out.printf(Locale.ROOT, "split (seed %d): train %,d, eval %,d%s%n", m.at("/split/seed").asLong(),
                result.train(), result.eval(), m.at("/split/stratifiedBySource").asBoolean() ? ", by source" : "");

        JsonNode reasons = m.get("rejectedByReason");
        if (reasons.size() > 0) {
            out.println();
            out.println("rejected by reason (records)");
            for (Iterator<Map.Entry<String, JsonNode>> it = reasons.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.printf(Locale.ROOT, "  %-24s %,10d%n", e.getKey(), e.getValue().asLong());
            }
        }
        JsonNode rules = m.at("/cleaning/rules");
        boolean header = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = rules.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long changes = e.getValue().get("changes").asLong();
            if (changes == 0) {
                continue;
            }
            if (!header) {
                out.println();
                out.println("cleaning (records changed, changes)");
                header = true;
            }
            out.printf(Locale.ROOT, "  %-24s %,10d %,10d  %s%n", e.getKey(), e.getValue().get("records").asLong(),
                    changes, e.getValue().get("unit").asText());
        }
        out.println();
        out.printf(Locale.ROOT, "tokens per record: mean %s, p50 %d, p95 %d, max %d (%s)%n",
                m.at("/tokens/mean").asText(), m.at("/tokens/p50").asInt(), m.at("/tokens/p95").asInt(),
                m.at("/tokens/max").asInt(), m.at("/tokens/counter").asText());
        out.printf(Locale.ROOT, "letters: CJK %.1f%%, Latin %.1f%%, other %.1f%%%n",
                100 * m.at("/languageMix/cjk").asDouble(), 100 * m.at("/languageMix/latin").asDouble(),
                100 * m.at("/languageMix/other").asDouble());
        out.println();
        for (WrittenFile f : new WrittenFile[] {result.files().get("train.jsonl"), result.files().get("eval.jsonl"),
                result.files().get("rejected.jsonl"), result.files().get("manifest.json")}) {
            out.printf(Locale.ROOT, "  %-15s %,10d lines %10s  sha256 %s%n", f.name(), f.lines(), Sizes.bytes(f.bytes()),
                    f.sha256().substring(0, 16));
        }
    }
}
