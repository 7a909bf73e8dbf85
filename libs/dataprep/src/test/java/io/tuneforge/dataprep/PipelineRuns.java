package io.tuneforge.dataprep;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.sink.LocalDirectorySink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Runs the real pipeline into a real directory and reads the four files back. */
public final class PipelineRuns {

    private PipelineRuns() {
    }

    /** What a run published. */
    public record Outcome(PipelineResult result, Path dir, List<JsonNode> train, List<JsonNode> eval,
                          List<JsonNode> rejected, JsonNode manifest) {

        /** The rejected line for input line {@code line}. */
        public JsonNode rejectedLine(long line) {
            return rejected.stream().filter(r -> r.get("line").asLong() == line).findFirst()
                    .orElseThrow(() -> new AssertionError("line " + line + " is not in rejected.jsonl: " + rejected));
        }

        /** The first reason code of the rejected line {@code line}. */
        public String reason(long line) {
            return rejectedLine(line).get("reasons").get(0).get("code").asText();
        }

        public String path(long line) {
            return rejectedLine(line).get("reasons").get(0).path("path").asText(null);
        }

        public List<JsonNode> kept() {
            List<JsonNode> all = new ArrayList<>(train);
            all.addAll(eval);
            return all;
        }

        public byte[] bytes(String file) {
            try {
                return Files.readAllBytes(dir.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Outcome run(PipelineSettings settings, String input, Path dir) throws PipelineException {
        return run(settings, input.getBytes(StandardCharsets.UTF_8), dir);
    }

    public static Outcome run(PipelineSettings settings, byte[] input, Path dir) throws PipelineException {
        return run(settings, new ByteArrayInputStream(input), input.length, dir);
    }

    public static Outcome run(PipelineSettings settings, InputStream input, long size, Path dir)
            throws PipelineException {
        PipelineResult result = new DatasetPipeline(settings)
                .run(new DatasetInput("input", input, size), new LocalDirectorySink(dir), null);
        return new Outcome(result, dir, lines(dir.resolve(ObjectKeys.TRAIN_FILE)), lines(dir.resolve(ObjectKeys.EVAL_FILE)),
                lines(dir.resolve(ObjectKeys.REJECTED_FILE)), read(dir.resolve(ObjectKeys.MANIFEST_FILE)));
    }

    /** Settings for tests: one thread, no eval split unless asked, temp files under {@code tmp}. */
    public static PipelineSettings.Builder settings(Path tmp) {
        return PipelineSettings.builder().threads(1).evalRatio(0).tempDir(tmp.resolve("work"));
    }

    public static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                out.add(Json.mapper().readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSONL text from lines. */
    public static String jsonl(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** The files a directory holds (names, sorted), hidden staging directories included. */
    public static List<String> listing(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
