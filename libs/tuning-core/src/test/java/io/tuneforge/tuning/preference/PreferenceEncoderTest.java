package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplates;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.RecordRejectedException;
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

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preference records → prompt / chosen / rejected tokens with ChatML: the prompt is the template with the
 * generation prompt, each completion is the answer plus {@code <|im_end|>} (nothing after it), record layouts
 * (string, conversational, implicit prompt, system), TRL's truncation order, the 2B-row batch, the dataset's
 * skipped records and fingerprint.
 */
class PreferenceEncoderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TextTokenizer tokenizer;
    static ChatTemplate template;

    @BeforeAll
    static void load() throws IOException {
        ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        tokenizer = TextTokenizer.load(dir);
        template = ChatTemplate.of(tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static long[] tokens(String text) {
        return tokenizer.encode(text);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void promptIsTheGenerationPromptAndCompletionsEndWithTheEndOfTurnToken() throws IOException {
        PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, template, 256);
        PreferenceExample e = encoder.encodeRecord(json(
                "{\"prompt\": \"Sky colour?\", \"chosen\": \"blue\", \"rejected\": \"green\"}"));
        assertArrayEquals(tokens("<|im_start|>user\nSky colour?<|im_end|>\n<|im_start|>assistant\n"), e.prompt());
        assertArrayEquals(tokens("blue<|im_end|>"), e.chosen());
        assertArrayEquals(tokens("green<|im_end|>"), e.rejected());
        assertFalse(e.truncated());

        long[] labels = e.chosenSequence().labels();
        for (int t = 0; t < e.prompt().length; t++) {
            assertEquals(IGNORE_INDEX, labels[t], "prompt token " + t + " must not be a target");
        }
        assertEquals("blue<|im_end|>", tokenizer.decode(Arrays.copyOfRange(labels, e.prompt().length, labels.length),
                false));
        assertEquals(e.chosen().length, e.chosenTargets());
    }

    @Test
    void conversationalImplicitAndSystemLayoutsGiveTheSamePrompt() throws IOException {
        PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, template, 512);
        PreferenceExample withSystem = encoder.encodeRecord(json("{\"system\": \"Be brief.\", \"prompt\": ["
                + "{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"},"
                + "{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + "\"chosen\": [{\"role\": \"assistant\", \"content\": \"4\"}], \"rejected\": \"5\"}"));
        PreferenceExample implicit = encoder.encodeRecord(json("{\"chosen\": ["
                + "{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"},"
                + "{\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"2+2?\"},"
                + "{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"4\"}]}], \"rejected\": ["
                + "{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"},"
                + "{\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"2+2?\"},"
                + "{\"role\": \"assistant\", \"content\": \"5\"}]}"));
        assertEquals(withSystem, implicit);
        assertArrayEquals(tokens("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n"), withSystem.prompt());
        assertArrayEquals(tokens("4<|im_end|>"), withSystem.chosen());
        assertArrayEquals(tokens("5<|im_end|>"), withSystem.rejected());
    }

    @Test
    void truncationCutsThePromptFromTheLeftFirstThenTheResponses() {
        String question = "Q".repeat(100);
        PreferencePair pair = new PreferencePair(List.of(Message.user(question)), "yes ".repeat(20), "no");
        long[] fullPrompt = tokens("<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n");
        long[] fullChosen = tokens("yes ".repeat(20) + "<|im_end|>");

        // 1) the prompt alone is cut: 40 prompt tokens kept from the end, chosen fits in the rest
        PreferenceExample cutPrompt = new PreferenceEncoder(tokenizer, template, 40 + fullChosen.length, 40)
                .encode(pair);
        assertTrue(cutPrompt.truncated());
        assertArrayEquals(Arrays.copyOfRange(fullPrompt, fullPrompt.length - 40, fullPrompt.length),
                cutPrompt.prompt());
        assertArrayEquals(fullChosen, cutPrompt.chosen());

        // 2) prompt cut to 40 and then the responses to the 24 tokens left; the short answer is untouched
        PreferenceExample cutBoth = new PreferenceEncoder(tokenizer, template, 64, 40).encode(pair);
        assertEquals(40, cutBoth.prompt().length);
        assertArrayEquals(Arrays.copyOf(fullChosen, 24), cutBoth.chosen());
        assertArrayEquals(tokens("no<|im_end|>"), cutBoth.rejected());
        assertEquals(64, cutBoth.length());

        // a short prompt is not cut, so the responses get all the room left
        PreferenceExample shortPrompt = new PreferenceEncoder(tokenizer, template, 40, 30)
                .encode(new PreferencePair(List.of(Message.user("Q")), "yes ".repeat(20), "no"));
        assertEquals(tokens("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n").length,
                shortPrompt.prompt().length);
        assertEquals(40, shortPrompt.length());
    }

    @Test
    void badRecordsAreRefusedWithTheReason() {
        PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, template, 128);
        RecordRejectedException same = assertThrows(RecordRejectedException.class, () -> encoder.encodeRecord(
                json("{\"prompt\": \"a\", \"chosen\": \"x\", \"rejected\": \"x\"}")));
        assertTrue(same.getMessage().contains("same text"), same.getMessage());
        RecordRejectedException sft = assertThrows(RecordRejectedException.class, () -> encoder.encodeRecord(
                json("{\"instruction\": \"a\", \"output\": \"b\"}")));
        assertEquals(RecordRejectedException.Reason.INVALID_RECORD, sft.reason());
        assertTrue(sft.getMessage().contains("\"chosen\" and \"rejected\""), sft.getMessage());
        RecordRejectedException endsWithAnswer = assertThrows(RecordRejectedException.class, () -> encoder
                .encodeRecord(json("{\"prompt\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\","
                        + " \"content\": \"b\"}], \"chosen\": \"x\", \"rejected\": \"y\"}")));
        assertTrue(endsWithAnswer.getMessage().contains("ends with an assistant turn"), endsWithAnswer.getMessage());
        RecordRejectedException differentPrompts = assertThrows(RecordRejectedException.class, () -> encoder
                .encodeRecord(json("{\"chosen\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\","
                        + " \"content\": \"x\"}], \"rejected\": [{\"role\": \"user\", \"content\": \"b\"},"
                        + " {\"role\": \"assistant\", \"content\": \"y\"}]}")));
        assertTrue(differentPrompts.getMessage().contains("implicit prompt"), differentPrompts.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PreferenceEncoder(tokenizer, template, 64, 64));
    }

    @Test
    void batchHoldsChosenRowsThenRejectedRowsOfTheSamePairs() {
        PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, template, 128);
        List<PreferenceExample> pairs = List.of(
                encoder.encode(new PreferencePair(List.of(Message.user("a?")), "yes", "no way")),
                encoder.encode(new PreferencePair(List.of(Message.user("bb?")), "fine", "bad")));
        try (NDManager manager = NDManager.newBaseManager();
             Batch batch = new PreferenceCollator(256, 128).collate(pairs, manager)) {
            assertEquals(4, batch.batchSize());
            long[] ids = batch.inputIds().toLongArray();
            long[] labels = batch.labels().toLongArray();
            int width = batch.sequenceLength();
            assertEquals(pairs.stream().mapToInt(PreferenceExample::length).max().orElseThrow(), width);
            List<long[]> rows = List.of(pairs.get(0).chosenSequence().inputIds(),
                    pairs.get(1).chosenSequence().inputIds(), pairs.get(0).rejectedSequence().inputIds(),
                    pairs.get(1).rejectedSequence().inputIds());
            long targets = 0;
            for (int r = 0; r < 4; r++) {
                long[] row = rows.get(r);
                assertArrayEquals(row, Arrays.copyOfRange(ids, r * width, r * width + row.length), "row " + r);
                int prompt = pairs.get(r % 2).prompt().length;
                for (int t = 0; t < width; t++) {
                    boolean target = t >= prompt && t < row.length;
                    assertEquals(target ? row[t] : IGNORE_INDEX, labels[r * width + t], "label " + r + "," + t);
                    targets += target ? 1 : 0;
                }
            }
            assertEquals(targets, batch.targetTokens());
        }
    }

    @Test
    void datasetKeepsEveryUsablePairAndSaysWhyOthersWereSkipped() throws IOException {
        Path file = dir.resolve("prefs.jsonl");
        Files.write(file, List.of(
                "{\"prompt\": \"a?\", \"chosen\": \"yes\", \"rejected\": \"no\"}",
                "",
                "{\"prompt\": \"b?\", \"chosen\": \"same\", \"rejected\": \"same\"}",
                "not json",
                "{\"prompt\": \"c?\", \"chosen\": \"up\", \"rejected\": \"down\"}"));
        PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, template, 128);
        PreferenceDataset data = PreferenceDataset.load(file, encoder);
        assertEquals(2, data.size());
        assertEquals(1, data.line(0));
        assertEquals(5, data.line(1));
        assertEquals(encoder.encode(new PreferencePair(List.of(Message.user("c?")), "up", "down")), data.get(1));
        assertEquals(List.of(3L, 4L), data.skipped().stream().map(s -> s.line()).toList());
        assertTrue(data.skipped().get(1).message().contains("not valid JSON"));

        String fingerprint = data.fingerprint();
        assertEquals(fingerprint, PreferenceDataset.load(file, encoder).fingerprint(), "same data, same fingerprint");
        Files.writeString(file, "{\"prompt\": \"a?\", \"chosen\": \"yes\", \"rejected\": \"nope\"}\n");
        assertNotEquals(fingerprint, PreferenceDataset.load(file, encoder).fingerprint());
    }
}
