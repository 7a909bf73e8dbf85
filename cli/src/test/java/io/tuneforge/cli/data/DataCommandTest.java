package io.tuneforge.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.contracts.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tuneforge data prepare} as a user runs it: a file in, four files and a summary out. */
class DataCommandTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;
    private InputStream oldIn;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        oldIn = System.in;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }

    private static final List<String> LINES = List.of(
            "{\"instruction\": \"<p>What is <b>Kafka</b>?</p>\", \"output\": \"A distributed log. Mail ops@example.com.\"}",
            "{\"instruction\": \"Name a prime\", \"input\": \"below 10\", \"output\": \"7\"}",
            "{\"instruction\": \"NAME A PRIME\", \"input\": \"below  10\", \"output\": \"7\"}",
            "",
            "{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}, {\"from\": \"gpt\", \"value\": \"hello\"}]}",
            "{\"instruction\": \"用一句话介绍长城。\", \"output\": \"长城是中国古代的军事防御工程。\"}",
            "{\"instruction\": \"Sum 2 and 2\", \"output\": \"4\"}",
            "{\"instruction\": \"Capital of Japan?\", \"output\": \"Tokyo\"}",
            "not json at all");

    private Path input() throws Exception {
        Path file = tmp.resolve("data.jsonl");
        Files.write(file, LINES, StandardCharsets.UTF_8);
        return file;
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void preparesADatasetEndToEnd() throws Exception {
        Path out = tmp.resolve("prepared");
        int code = TuneForgeCli.run("data", "prepare", "--input", input().toString(), "--output", out.toString(),
                "--eval-count", "2", "--seed", "7", "--strip-html", "--redact-pii", "--to", "conversation");
        assertEquals(0, code, stderr.toString());
        List<JsonNode> train = lines(out.resolve("train.jsonl"));
        List<JsonNode> eval = lines(out.resolve("eval.jsonl"));
        List<JsonNode> rejected = lines(out.resolve("rejected.jsonl"));
        assertEquals(LINES.size(), train.size() + eval.size() + rejected.size(), "every line accounted for");
        assertEquals(2, eval.size());
        assertEquals(4, rejected.size());
        JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("conversation", manifest.get("format").asText());
        assertEquals("instruction", manifest.at("/detection/format").asText());

        String all = Files.readString(out.resolve("train.jsonl")) + Files.readString(out.resolve("eval.jsonl"));
        assertTrue(all.contains("\"content\":\"What is Kafka?\""), all);
        assertTrue(all.contains("Mail [EMAIL].") , all);
        assertTrue(all.contains("长城是中国古代的军事防御工程。"), all);

        String summary = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("format: instruction (detected"), summary);
        assertTrue(summary.matches("(?s).*exact_dedup\\s+6\\s+5\\s+1.*"), summary);
        assertTrue(summary.contains("format_mismatch"), summary);
        assertTrue(summary.contains("empty_line"), summary);
        assertTrue(summary.contains("html"), summary);
        assertTrue(summary.contains("pii_email"), summary);
        assertTrue(summary.contains("train.jsonl"), summary);
    }

    @Test
    void theSameSeedGivesTheSameFiles() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, TuneForgeCli.run("data", "prepare", "--input", input().toString(), "--output", a.toString(),
                "--eval-ratio", "0.4", "--threads", "1"));
        assertEquals(0, TuneForgeCli.run("data", "prepare", "--input", input().toString(), "--output", b.toString(),
                "--eval-ratio", "0.4", "--threads", "3"));
        for (String f : new String[] {"train.jsonl", "eval.jsonl", "rejected.jsonl"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void anEmptyFileFailsClearlyAndWritesNothing() throws Exception {
        Path empty = tmp.resolve("empty.jsonl");
        Files.writeString(empty, "");
        Path out = tmp.resolve("never");
        assertEquals(1, TuneForgeCli.run("data", "prepare", "--input", empty.toString(), "--output", out.toString()));
        assertTrue(stderr.toString().contains("the input empty.jsonl") || stderr.toString().contains("is empty"),
                stderr.toString());
        assertFalse(Files.exists(out.resolve("manifest.json")));
        assertFalse(Files.exists(out.resolve("train.jsonl")));
    }

    @Test
    void ratioAndCountTogetherAreAUsageError() throws Exception {
        int code = TuneForgeCli.run("data", "prepare", "--input", input().toString(), "--output",
                tmp.resolve("x").toString(), "--eval-ratio", "0.1", "--eval-count", "3");
        assertEquals(2, code);
        assertTrue(stderr.toString().contains("not both"), stderr.toString());
    }

    @Test
    void stdinShowsAProgressLine() throws Exception {
        System.setIn(new ByteArrayInputStream(Files.readAllBytes(input())));
        Path out = tmp.resolve("stdin");
        assertEquals(0, TuneForgeCli.run("data", "prepare", "--input", "-", "--output", out.toString()));
        String progress = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("reading") && progress.contains("9 records"), progress);
        assertTrue(Files.exists(out.resolve("manifest.json")));
    }

    @Test
    void tokensAreCountedWithTheModelsTokenizer() throws Exception {
        Path model = tmp.resolve("tiny");
        assertEquals(0, TuneForgeCli.run("model", "init-tiny", "--output", model.toString()));
        Path file = tmp.resolve("lengths.jsonl");
        // the tiny model's tokenizer is byte-level: one token per UTF-8 byte
        Files.write(file, List.of("{\"instruction\": \"short\", \"output\": \"ok\"}",
                "{\"instruction\": \"" + "a much longer instruction ".repeat(3) + "\", \"output\": \"ok\"}",
                "{\"instruction\": \"你好\", \"output\": \"世界\"}"), StandardCharsets.UTF_8);
        Path out = tmp.resolve("tok");
        assertEquals(0, TuneForgeCli.run("data", "prepare", "--input", file.toString(), "--output", out.toString(),
                "--tokenizer", model.toString(), "--max-tokens", "12", "--eval-ratio", "0"), stderr.toString());
        List<JsonNode> rejected = lines(out.resolve("rejected.jsonl"));
        assertEquals(1, rejected.size());
        assertEquals(2, rejected.get(0).get("line").asInt());
        assertEquals("too_many_tokens", rejected.get(0).at("/reasons/0/code").asText());
        JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
        assertTrue(manifest.at("/tokens/counter").asText().startsWith("tokenizer.json of"), manifest.get("tokens").toString());
        // "你好" + "世界" = 12 UTF-8 bytes = 12 tokens: exactly at the limit, so kept
        assertEquals(12, manifest.at("/tokens/max").asInt());
    }
}
