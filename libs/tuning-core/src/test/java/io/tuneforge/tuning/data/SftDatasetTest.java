package io.tuneforge.tuning.data;

import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplates;
import io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading JSONL: what is kept, what is skipped with its line and reason, truncation counts, epoch order. */
class SftDatasetTest {

    @TempDir
    static Path dir;
    static TextTokenizer tokenizer;
    static SftEncoder encoder;

    @BeforeAll
    static void tokenizer() throws IOException {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        tokenizer = TextTokenizer.load(dir);
        encoder = new SftEncoder(tokenizer, ChatTemplate.of(tokenizer), 64, false);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void keepsGoodRecordsAndSkipsBadOnesWithLineAndReason() throws IOException {
        String longAnswer = "x".repeat(100);
        Path file = dir.resolve("train.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"instruction\": \"Say hi\", \"output\": \"hi\"}",                                     // 1 kept
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}",
                "",                                                                                       // 3 blank
                "{not json",                                                                              // 4 skipped
                "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\"}",                            // 5 skipped
                "{\"messages\": [{\"role\": \"user\", \"content\": \"only a question\"}]}",               // 6 skipped
                "{\"instruction\": \"Long\", \"output\": \"" + longAnswer + "\"}",                        // 7 truncated
                "{\"instruction\": \"" + "y".repeat(80) + "\", \"output\": \"cut away\"}",                // 8 skipped
                "{\"instruction\": \"Last\", \"output\": \"ok\"}") + "\n");
        SftDataset data = SftDataset.load(file, encoder);

        assertEquals(4, data.size());
        assertEquals(List.of(1L, 2L, 7L, 9L), List.of(data.line(0), data.line(1), data.line(2), data.line(3)));
        assertEquals(1, data.truncatedCount());
        assertTrue(data.get(2).truncated());
        assertEquals(64, data.length(2));
        assertFalse(data.get(0).truncated());
        assertEquals(List.of(4L, 5L, 6L, 8L), data.skipped().stream().map(SkippedRecord::line).toList());
        assertEquals(Map.of(RecordRejectedException.Reason.INVALID_RECORD, 2L,
                RecordRejectedException.Reason.NO_ASSISTANT_TURN, 1L,
                RecordRejectedException.Reason.TRUNCATED_AWAY, 1L), data.skippedCounts());
        assertTrue(data.skipped().get(0).toString().startsWith("line 4 (INVALID_RECORD): not valid JSON"),
                data.skipped().get(0).toString());
        // The stored example is exactly what the encoder gives.
        assertEquals(encoder.encodeRecord(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"instruction\": \"Say hi\", \"output\": \"hi\"}")), data.get(0));
        assertEquals(Arrays.stream(data.lengths()).sum(), data.tokenCount());
    }

    @Test
    void aFileWithoutUsableRecordsIsRefused() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"a\": 1}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SftDataset.load(file, encoder));
        assertTrue(e.getMessage().contains("no usable record") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void orderIsASeededPermutationThatChangesPerEpoch() {
        int[] first = SftDataset.shuffledOrder(50, 42, 0);
        assertArrayEquals(first, SftDataset.shuffledOrder(50, 42, 0));
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
        assertFalse(Arrays.equals(first, identity));
        assertFalse(Arrays.equals(first, SftDataset.shuffledOrder(50, 42, 1)));
        assertFalse(Arrays.equals(first, SftDataset.shuffledOrder(50, 43, 0)));
        // Pinned: SplittableRandom's algorithm is specified, so these are the same on every machine and JVM.
        assertArrayEquals(new int[] {8, 2, 1, 4, 0, 5, 3, 7, 6, 9}, SftDataset.shuffledOrder(10, 42, 0));
    }
}
