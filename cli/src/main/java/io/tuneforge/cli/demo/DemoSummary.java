package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the platform demo found, printed at the end and kept as {@code <workdir>/summary.json}. The line
 * {@code ROUGE-L   base B -> tuned T  (...)} is what CI checks (T above B).
 */
final class DemoSummary {

    JsonNode instructions;
    JsonNode preferences;
    JsonNode seen;
    JsonNode augmentation;
    String runId;
    RunOutcome.Loss loss;
    JsonNode heldOut;
    JsonNode seenEval;
    JsonNode modelVersion;
    String registryUrl;

    void print(PrintStream out, double seconds, boolean down) {
        JsonNode c = instructions.path("counts");
        JsonNode g = augmentation.path("generations");
        out.printf("%n== Summary (%.0f s)%n", seconds);
        out.printf("data       %s v%d: %d records in, %d train, %d eval, %d rejected; %s v%d: %d preference pairs%n",
                PlatformDemo.INSTRUCTIONS, instructions.path("version").asInt(), c.path("input").asLong(),
                c.path("train").asLong(), c.path("eval").asLong(), c.path("rejected").asLong(),
                PlatformDemo.PREFERENCES, preferences.path("version").asInt(),
                preferences.at("/counts/train").asLong() + preferences.at("/counts/eval").asLong());
        out.printf("augment    %s: %d generations accepted, %d rejected, %d failed (paraphrase by the tiny model"
                        + " through eval-service /v1)%n", augmentation.path("status").asText(),
                g.path("accepted").asLong(), g.path("rejected").asLong(), g.path("failed").asLong());
        out.printf("run        %s: %d steps, trained in %.0f s%n", runId, loss.lastStep(), loss.seconds());
        out.printf("loss       %.3f at step %d -> %.3f at step %d%n", loss.first(), loss.firstStep(), loss.last(),
                loss.lastStep());
        out.printf("ROUGE-L    base %.1f -> tuned %.1f  (on the %d records it trained on; held-out: base %.1f ->"
                        + " tuned %.1f)%n", metric(seenEval, "rougeL", "base"), metric(seenEval, "rougeL", "tuned"),
                seen.at("/counts/eval").asInt(), metric(heldOut, "rougeL", "base"),
                metric(heldOut, "rougeL", "tuned"));
        out.printf("BLEU       base %.1f -> tuned %.1f%n", metric(seenEval, "bleu", "base"),
                metric(seenEval, "bleu", "tuned"));
        out.printf("perplexity base %.1f -> tuned %.2f%n", metric(seenEval, "perplexity", "base"),
                metric(seenEval, "perplexity", "tuned"));
        out.printf("model      %s version %d%n", modelVersion.path("modelName").asText(),
                modelVersion.path("version").asInt());
        out.printf("registry   %s/ui  (sign in with TUNEFORGE_REGISTRY_TOKEN from .tuneforge/platform.env)%n",
                registryUrl);
        out.println(down ? "platform   stopping (--down)" : "platform   still up: `tuneforge status`; stop it with"
                + " `tuneforge down`");
    }

    void write(Path file) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("runId", runId);
        s.put("loss", loss);
        s.put("rougeL", Map.of("base", metric(seenEval, "rougeL", "base"), "tuned", metric(seenEval, "rougeL", "tuned"),
                "heldOutBase", metric(heldOut, "rougeL", "base"), "heldOutTuned", metric(heldOut, "rougeL", "tuned")));
        s.put("bleu", Map.of("base", metric(seenEval, "bleu", "base"), "tuned", metric(seenEval, "bleu", "tuned")));
        s.put("perplexity", Map.of("base", metric(seenEval, "perplexity", "base"),
                "tuned", metric(seenEval, "perplexity", "tuned")));
        s.put("augmentation", augmentation.path("generations"));
        s.put("modelVersion", modelVersion);
        s.put("registryUi", registryUrl + "/ui");
        try {
            Files.writeString(file, Json.write(s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code metrics.<name>.<side>} of an evaluation report; NaN when absent. */
    static double metric(JsonNode report, String name, String side) {
        JsonNode v = report == null ? null : report.path("metrics").path(name).path(side);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
