package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge demo --local}: the whole local job on embedded defaults, with nothing to download — 1) write the tiny
 * model, 2) prepare the bundled bilingual sample set (validate, clean, dedup, split), 3) fine-tune it with LoRA,
 * 4) evaluate base vs tuned, 5) print a summary. Each step is the public command a user would run, so the demo
 * shows exactly what {@code model init-tiny}, {@code data prepare}, {@code train} and {@code eval} do, in this JVM,
 * with no service running.
 */
final class LocalDemo implements Callable<Integer> {

    static final String SAMPLE = "/demo/sample-instructions.jsonl";

    private final Path workdir;
    private final int epochs;

    LocalDemo(Path workdir, int epochs) {
        this.workdir = workdir;
        this.epochs = epochs;
    }

    @Override
    public Integer call() throws Exception {
        Path model = workdir.resolve("model");
        Path data = workdir.resolve("data");
        Path run = workdir.resolve("run");
        Path eval = workdir.resolve("eval");
        deleteRecursively(workdir);
        Files.createDirectories(workdir);
        Path sample = copyResource(SAMPLE, workdir);

        step(1, "tiny model", "model", "init-tiny", "--output", model.toString(), "--init-std", "0.2");
        step(2, "data preparation", "data", "prepare", "--input", sample.toString(), "--output", data.toString(),
                "--eval-ratio", "0.2", "--seed", "42");
        Path config = workdir.resolve("train.json");
        Files.writeString(config, Json.write(Map.of(
                "runId", "demo",
                "baseModel", model.toAbsolutePath().toString(),
                "dataset", Map.of("path", data.resolve("train.jsonl").toAbsolutePath().toString(),
                        "evalPath", data.resolve("eval.jsonl").toAbsolutePath().toString()),
                "method", "sft",
                "adapter", "lora",
                "lora", LORA,
                "hyperparameters", hyperparameters(epochs))), StandardCharsets.UTF_8);
        step(3, "LoRA fine-tuning", "train", "--config", config.toString(), "--output", run.toString());
        // The tiny random model cannot generalise to unseen questions; what the demo shows is that it learned its
        // training records, measured with the same metrics eval-service reports.
        step(4, "evaluation on the training records (base vs tuned)", "eval", "--model", model.toString(),
                "--adapter", run.resolve("adapter").toString(), "--dataset", data.resolve("train.jsonl").toString(),
                "--metrics", "rougeL,bleu,exactMatch,perplexity", "--max-new-tokens", "24", "--output",
                eval.toString());
        printSummary(data, run, eval);
        return 0;
    }

    /** LoRA settings both demos train with. */
    static final Map<String, Object> LORA = Map.of("r", 8, "alpha", 16, "dropout", 0.05);

    /**
     * Settings under which the tiny random model (init std 0.2) learns its two dozen records within a minute: a high
     * learning rate, many epochs, short sequences, fixed seed.
     */
    static Map<String, Object> hyperparameters(int epochs) {
        return Map.of("epochs", epochs, "learningRate", 0.01, "batchSize", 4, "gradientAccumulation", 1,
                "maxSeqLength", 96, "warmupRatio", 0.05, "scheduler", "cosine", "seed", 42);
    }

    /** Copies a bundled file of {@code /demo/} into {@code dir}; returns the copy. */
    static Path copyResource(String resource, Path dir) throws IOException {
        Path copy = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = LocalDemo.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled file " + resource + " is missing from the CLI jar");
            }
            Files.createDirectories(dir);
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    static void step(int n, String title, String... args) {
        System.out.printf("%n== %d/4 %s: tuneforge %s%n", n, title, String.join(" ", args));
        int code = TuneForgeCli.run(args);
        if (code != 0) {
            throw new IllegalStateException("step " + n + " (" + title + ") failed with exit code " + code
                    + "; its message is above");
        }
    }

    private static void printSummary(Path data, Path run, Path eval) throws IOException {
        JsonNode manifest = Json.mapper().readTree(data.resolve("manifest.json").toFile());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode first = firstWith(metrics, "loss", false);
        JsonNode last = firstWith(metrics, "loss", true);
        JsonNode report = Json.mapper().readTree(eval.resolve("report.json").toFile()).get("metrics");
        System.out.printf("%n== Summary%n");
        System.out.printf("data      %s records in: %s train, %s eval, %s rejected%n",
                manifest.at("/counts/input").asText("?"), manifest.at("/counts/train").asText("?"),
                manifest.at("/counts/eval").asText("?"), manifest.at("/counts/rejected").asText("?"));
        System.out.printf("loss      %.3f at step %d -> %.3f at step %d%n", first.get("loss").asDouble(),
                first.get("step").asLong(), last.get("loss").asDouble(), last.get("step").asLong());
        System.out.printf("ROUGE-L   base %.1f -> tuned %.1f%n", report.at("/rougeL/base").asDouble(),
                report.at("/rougeL/tuned").asDouble());
        System.out.printf("adapter   %s (PEFT format)%n", run.resolve("adapter").toAbsolutePath());
        System.out.printf("try it    ./tuneforge model generate --model %s --adapter %s --prompt \"Capital of France?\"%n",
                data.getParent().resolve("model"), run.resolve("adapter"));
    }

    /** The first (or last) metrics line that has {@code field}: training steps, not eval lines. */
    private static JsonNode firstWith(List<String> lines, String field, boolean last) throws IOException {
        JsonNode found = null;
        for (String line : lines) {
            JsonNode node = Json.mapper().readTree(line);
            if (node.has(field) && node.has("step")) {
                found = node;
                if (!last) {
                    return found;
                }
            }
        }
        if (found == null) {
            throw new IllegalStateException("metrics.jsonl holds no training step with '" + field + "'");
        }
        return found;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
                }
            });
        }
    }
}
