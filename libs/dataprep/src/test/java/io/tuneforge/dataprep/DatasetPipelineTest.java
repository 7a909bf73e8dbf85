package io.tuneforge.dataprep;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.dataprep.PipelineRuns.Outcome;
import io.tuneforge.dataprep.sink.DatasetSink;
import io.tuneforge.dataprep.sink.LocalDirectorySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.tuneforge.dataprep.PipelineRuns.jsonl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on messy and broken inputs: every line accounted for, nothing half-published. */
class DatasetPipelineTest {

    @TempDir
    Path tmp;

    private Path out() {
        return tmp.resolve("out");
    }

    private static final String GOOD = "{\"instruction\": \"Name a color\", \"output\": \"Blue\"}";

    /** A messy file: blank lines, junk, duplicates, other formats, bad UTF-8, a huge line, CRLF endings. */
    private static byte[] messy() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"instruction\": \"Task number " + i + " " + "x".repeat(i) + "\", \"output\": \"Result " + i + "\"}");
        }
        lines.add("");
        lines.add("   ");
        lines.add("{\"instruction\": \"TASK NUMBER 3   xxx\", \"output\": \"result 3\"}");
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}");
        lines.add("[\"an\", \"array\"]");
        lines.add("{\"instruction\": \"trailing junk\"} xyz");
        lines.add("{\"instruction\": \"\", \"output\": \"x\"}");
        lines.add("{\"instruction\": \"dup key\", \"instruction\": \"again\", \"output\": \"x\"}");
        for (String l : lines) {
            b.write(l.getBytes(StandardCharsets.UTF_8));
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        b.write("{\"instruction\": \"caf".getBytes(StandardCharsets.UTF_8));
        b.write(0xE9);   // Latin-1 é
        b.write("\", \"output\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));
        b.write(("{\"instruction\": \"" + "y".repeat(3000) + "\", \"output\": \"z\"}\n").getBytes(StandardCharsets.UTF_8));
        b.write("\n".getBytes(StandardCharsets.UTF_8));
        b.write(GOOD.getBytes(StandardCharsets.UTF_8));   // last line without a line break
        return b.toByteArray();
    }

    @Test
    void everyInputLineIsAccountedFor() throws Exception {
        byte[] input = messy();
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).evalRatio(0.2).maxRecordBytes(2048).build(), input, out());
        long inputLines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1).length;
        assertEquals(52, inputLines);
        assertEquals(inputLines, o.train().size() + o.eval().size() + o.rejected().size(),
                "lines(train) + lines(eval) + lines(rejected) = lines(input)");
        assertEquals(inputLines, o.manifest().at("/counts/input").asLong());
        assertEquals(41, o.train().size() + o.eval().size());
        assertEquals(8, o.eval().size());
        // every rejected line number is a distinct input line
        List<Long> rejectedLines = o.rejected().stream().map(r -> r.get("line").asLong()).toList();
        assertEquals(rejectedLines.stream().distinct().count(), rejectedLines.size());
        assertEquals(List.of(41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L, 51L), rejectedLines);
        assertEquals("empty_line", o.reason(41));
        assertEquals("empty_line", o.reason(42));
        assertEquals("exact_duplicate", o.reason(43));
        assertEquals(4, o.rejectedLine(43).get("keptLine").asLong());
        assertEquals("format_mismatch", o.reason(44));
        assertEquals("not_an_object", o.reason(45));
        assertEquals("invalid_json", o.reason(46));
        assertEquals("empty_field", o.reason(47));
        assertEquals("invalid_json", o.reason(48));
        assertTrue(o.rejectedLine(48).at("/reasons/0/message").asText().contains("Duplicate field 'instruction'"));
        assertEquals("invalid_utf8", o.reason(49));
        assertEquals("record_too_large", o.reason(50));
        assertEquals("empty_line", o.reason(51));
        // the stages add up, and the reasons are counted
        JsonNode stages = o.manifest().get("stages");
        assertEquals(52, stages.get(0).get("in").asLong());
        assertEquals(41, stages.get(stages.size() - 1).get("out").asLong());
        assertEquals(3, o.manifest().at("/rejectedByReason/empty_line").asInt());
        assertEquals(2, o.manifest().at("/rejectedByReason/invalid_json").asInt());
        // CRLF was a line ending, not content
        assertTrue(o.kept().stream().noneMatch(r -> r.toString().contains("\\r")));
    }

    @Test
    void theManifestDescribesTheFilesItPublished() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).evalRatio(0.2).maxRecordBytes(2048).build(), messy(), out());
        for (String f : new String[] {"train.jsonl", "eval.jsonl", "rejected.jsonl"}) {
            byte[] bytes = Files.readAllBytes(out().resolve(f));
            JsonNode entry = o.manifest().get("files").get(f);
            assertEquals(bytes.length, entry.get("bytes").asLong(), f);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    entry.get("sha256").asText(), f);
            assertEquals(o.result().files().get(f).sha256(), entry.get("sha256").asText());
        }
        assertEquals(List.of("eval.jsonl", "manifest.json", "rejected.jsonl", "train.jsonl"), PipelineRuns.listing(out()));
        assertTrue(o.manifest().at("/languageMix/latin").asDouble() > 0.9);
        assertTrue(o.manifest().at("/tokens/records").asLong() == 41);
        assertEquals(42, o.manifest().at("/settings/seed").asLong());
        // "TASK NUMBER 3   xxx": one run of spaces collapsed (the record is then an exact duplicate)
        assertEquals(1, o.manifest().at("/cleaning/rules/space_runs/changes").asInt());
        assertEquals(1, o.manifest().at("/cleaning/rules/space_runs/records").asInt());
        assertEquals(o.result().counts().get("train"), o.manifest().at("/counts/train").asLong());
    }

    @Test
    void anEmptyFileIsAClearErrorWithNoOutput() {
        for (String input : new String[] {"", "\n\n  \n", "[]", "[ ]\n", "instruction,output\n"}) {
            PipelineException e = assertThrows(PipelineException.class,
                    () -> PipelineRuns.run(PipelineRuns.settings(tmp).build(), input, out()), input);
            assertEquals(PipelineException.Code.EMPTY_INPUT, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("empty") || e.getMessage().contains("no rows"), e.getMessage());
            assertEquals(List.of(), PipelineRuns.listing(out()), "nothing published for " + input);
        }
    }

    @Test
    void aSingleBadLineAmongGoodOnesIsOneRejectedLine() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("{\"instruction\": \"q" + i + "\", \"output\": \"a" + i + "\"}");
        }
        lines.set(9, "{\"instruction\": \"q9\", \"output\": ");
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), jsonl(lines.toArray(String[]::new)), out());
        assertEquals(19, o.train().size());
        assertEquals(1, o.rejected().size());
        assertEquals(10, o.rejected().get(0).get("line").asLong());
        assertEquals("invalid_json", o.reason(10));
        assertEquals("{\"instruction\": \"q9\", \"output\": ", o.rejected().get(0).get("record").asText());
    }

    @Test
    void aHundredMegabyteLineIsRejectedWithoutBeingHeldInMemory() throws Exception {
        // generated on the fly: the test JVM has a 256 MB heap, so holding the line would fail
        long hugeBytes = 100L * 1024 * 1024;
        byte[] head = (GOOD + "\n{\"instruction\": \"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\", \"output\": \"x\"}\n" + GOOD.replace("Blue", "Red") + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream in = new InputStream() {
            long pos;
            final long total = head.length + hugeBytes + tail.length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - pos);
                for (int i = 0; i < n; i++, pos++) {
                    b[off + i] = pos < head.length ? head[(int) pos]
                            : pos < head.length + hugeBytes ? (byte) 'a'
                            : tail[(int) (pos - head.length - hugeBytes)];
                }
                return n;
            }
        };
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), in, -1, out());
        assertEquals(2, o.train().size());
        assertEquals("record_too_large", o.reason(2));
        String message = o.rejectedLine(2).at("/reasons/0/message").asText();
        assertTrue(message.contains("more than the maximum record size of 10485760 bytes"), message);
        assertTrue(o.rejectedLine(2).get("record").asText().length() < 300, "only a preview is kept");
    }

    @Test
    void latin1BytesAreRejectedLineByLine() throws Exception {
        byte[] latin1 = jsonl(GOOD, "{\"instruction\": \"Café crème\", \"output\": \"Très bon\"}",
                "{\"instruction\": \"Naïve\", \"output\": \"ok\"}").getBytes(StandardCharsets.ISO_8859_1);
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), latin1, out());
        assertEquals(1, o.train().size());
        assertEquals("invalid_utf8", o.reason(2));
        assertEquals("invalid_utf8", o.reason(3));
        String message = o.rejectedLine(2).at("/reasons/0/message").asText();
        assertTrue(message.contains("bytes E9 at byte 20"), message);
        assertTrue(o.rejectedLine(2).get("record").asText().contains("Caf\uFFFD"), "lossy text for the reader");
    }

    @Test
    void gzipIsDetectedByItsMagicBytes() throws Exception {
        byte[] gz = gzip(jsonl(GOOD, "{\"instruction\": \"你好\", \"output\": \"世界\"}").getBytes(StandardCharsets.UTF_8));
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), gz, out());
        assertEquals(2, o.train().size());
        assertEquals(true, o.manifest().at("/input/gzip").asBoolean());
        assertEquals(gz.length, o.manifest().at("/input/bytes").asLong());
    }

    @Test
    void aTruncatedGzipIsAClearErrorAndNothingIsPublished() throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            s.append("{\"instruction\": \"question ").append(i).append("\", \"output\": \"answer ").append(i * 7919 % 1000)
                    .append("\"}\n");
        }
        byte[] gz = gzip(s.toString().getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineRuns.run(PipelineRuns.settings(tmp).build(), truncated, out()));
        assertEquals(PipelineException.Code.CORRUPT_INPUT, e.code());
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
        assertEquals(List.of(), PipelineRuns.listing(out()), "no file and no staging directory left");
    }

    @Test
    void brokenJsonArraysAreFileErrors() {
        PipelineException unclosed = assertThrows(PipelineException.class, () -> PipelineRuns.run(
                PipelineRuns.settings(tmp).build(), "[" + GOOD + ",\n" + GOOD.replace("Blue", "Red") + ",\n{\"instruction\": \"x",
                out()));
        assertEquals(PipelineException.Code.CORRUPT_INPUT, unclosed.code());
        assertTrue(unclosed.getMessage().contains("not closed"), unclosed.getMessage());
        PipelineException trailing = assertThrows(PipelineException.class, () -> PipelineRuns.run(
                PipelineRuns.settings(tmp).build(), "[" + GOOD + "] [" + GOOD + "]", out()));
        assertTrue(trailing.getMessage().contains("after the JSON array's closing ']'"), trailing.getMessage());
        assertEquals(List.of(), PipelineRuns.listing(out()));
    }

    @Test
    void aBadArrayElementIsOneRejectedRecord() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(),
                "[" + GOOD + ", {\"instruction\": oops}, 42, , " + GOOD.replace("Blue", "Red") + "]", out());
        assertEquals(2, o.train().size());
        assertEquals("invalid_json", o.reason(2));
        assertEquals("not_an_object", o.reason(3));
        assertEquals("invalid_json", o.reason(4));
        assertEquals(5, o.manifest().at("/counts/input").asInt());
    }

    @Test
    void aCsvRowWithTooManyCellsIsRejected() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(),
                "instruction,output\nq1,a1\nq2,a2,extra\n\nq3,\"unterminated\n", out());
        assertEquals(1, o.train().size());
        assertEquals("invalid_csv_row", o.reason(3));
        assertEquals("empty_line", o.reason(4));
        assertEquals("invalid_csv_row", o.reason(5));
        assertEquals(4, o.manifest().at("/counts/input").asInt(), "rows after the header");
    }

    @Test
    void progressIsReportedWithBytesAndRecords() throws Exception {
        List<Progress> seen = new ArrayList<>();
        byte[] input = messy();
        new DatasetPipeline(PipelineRuns.settings(tmp).progressInterval(java.time.Duration.ZERO).build())
                .run(new DatasetInput("messy", new java.io.ByteArrayInputStream(input), input.length),
                        new LocalDirectorySink(out()), seen::add);
        Progress last = seen.get(seen.size() - 1);
        assertEquals(Progress.Phase.DONE, last.phase());
        assertEquals(input.length, last.bytesRead());
        assertEquals(1.0, last.fraction());
        assertEquals(52, last.records());
        assertTrue(seen.stream().anyMatch(p -> p.phase() == Progress.Phase.READING));
    }

    @Test
    void aSinkThatFailsToCommitLeavesNothingBehind() throws Exception {
        Path dir = out();
        LocalDirectorySink local = new LocalDirectorySink(dir);
        DatasetSink failing = new DatasetSink() {
            @Override
            public OutputStream create(String fileName) throws IOException {
                return local.create(fileName);
            }

            @Override
            public void commit() throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void abort() {
                local.abort();
            }

            @Override
            public String describe() {
                return "failing sink";
            }
        };
        PipelineException e = assertThrows(PipelineException.class, () -> new DatasetPipeline(
                PipelineRuns.settings(tmp).build()).run(new DatasetInput("x",
                new java.io.ByteArrayInputStream(jsonl(GOOD).getBytes(StandardCharsets.UTF_8)), -1), failing, null));
        assertEquals(PipelineException.Code.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("disk full"));
        assertEquals(List.of(), PipelineRuns.listing(dir));
    }

    @Test
    void aNewVersionReplacesAnOldOneInTheSameDirectory() throws Exception {
        PipelineRuns.run(PipelineRuns.settings(tmp).build(), jsonl(GOOD), out());
        Outcome second = PipelineRuns.run(PipelineRuns.settings(tmp).build(),
                jsonl(GOOD.replace("Blue", "Green"), GOOD.replace("Blue", "Gold")), out());
        assertEquals(2, second.train().size());
        assertEquals(List.of("eval.jsonl", "manifest.json", "rejected.jsonl", "train.jsonl"), PipelineRuns.listing(out()));
        assertArrayEquals(Files.readAllBytes(out().resolve("train.jsonl")), second.bytes("train.jsonl"));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }
}
