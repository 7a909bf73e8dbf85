package io.tuneforge.tuning.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.ChatTemplates;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Label masking: the labelled tokens, decoded, must be exactly the assistant texts plus each
 * turn's end-of-turn token — on ChatML (the tiny model's template) and on Meta Llama 3's
 * template with its special tokens.
 */
class SftEncoderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> LLAMA3_TOKENS = List.of("<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
            "<|end_header_id|>", "<|eot_id|>");

    @TempDir
    static Path dir;
    static TextTokenizer chatml;
    static TextTokenizer llama3;

    @BeforeAll
    static void tokenizers() throws IOException {
        Path chatmlDir = dir.resolve("chatml");
        ByteLevelTokenizerFiles.write(chatmlDir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        chatml = TextTokenizer.load(chatmlDir);
        Path llamaDir = dir.resolve("llama3");
        ByteLevelTokenizerFiles.write(llamaDir, LLAMA3_TOKENS, resource("llama3-instruct.jinja"), "<|eot_id|>",
                "<|end_of_text|>");
        // As in Meta-Llama-3-8B-Instruct's tokenizer_config.json: the template writes bos_token itself.
        Path config = llamaDir.resolve("tokenizer_config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        root.put("bos_token", "<|begin_of_text|>");
        JSON.writeValue(config.toFile(), root);
        llama3 = TextTokenizer.load(llamaDir);
    }

    @AfterAll
    static void close() {
        chatml.close();
        llama3.close();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SftEncoderTest.class.getResourceAsStream("/chat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SftEncoder encoder(TextTokenizer tokenizer, int maxSeqLength, boolean trainOnPrompt) {
        return new SftEncoder(tokenizer, ChatTemplate.of(tokenizer), maxSeqLength, trainOnPrompt);
    }

    /** Each maximal run of labelled positions, decoded with special tokens kept. */
    static List<String> labelledRuns(TextTokenizer tokenizer, TokenizedExample example) {
        List<String> runs = new ArrayList<>();
        long[] labels = example.labels();
        int t = 0;
        while (t < labels.length) {
            if (labels[t] == IGNORE_INDEX) {
                t++;
                continue;
            }
            int start = t;
            while (t < labels.length && labels[t] != IGNORE_INDEX) {
                t++;
            }
            runs.add(tokenizer.decode(Arrays.copyOfRange(labels, start, t), false));
        }
        return runs;
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void chatmlInstructionTrainsOnlyTheAnswerAndItsEndOfTurn() throws IOException {
        SftEncoder encoder = encoder(chatml, 512, false);
        TokenizedExample example = encoder.encodeRecord(json(
                "{\"system\": \"Be brief.\", \"instruction\": \"Add the numbers\", \"input\": \"2 + 3\", \"output\": \"5\"}"));
        String rendered = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nAdd the numbers\n\n2 + 3"
                + "<|im_end|>\n<|im_start|>assistant\n5<|im_end|>\n";
        assertEquals(rendered, chatml.decode(example.inputIds(), false));
        assertEquals(List.of("5<|im_end|>"), labelledRuns(chatml, example));
        // The separator "\n" after <|im_end|> is the template's, not the answer's: it does not train.
        assertEquals(IGNORE_INDEX, example.labels()[example.length() - 1]);
        assertEquals('\n', example.inputIds()[example.length() - 1]);
        assertFalse(example.truncated());
    }

    @Test
    void chatmlEveryAssistantTurnOfAConversationTrains() throws IOException {
        SftEncoder encoder = encoder(chatml, 512, false);
        TokenizedExample example = encoder.encodeRecord(json("{\"messages\": ["
                + "{\"role\": \"system\", \"content\": \"You help.\"},"
                + "{\"role\": \"user\", \"content\": \"Hi\"},"
                + "{\"role\": \"assistant\", \"content\": \"Grüße 👋 — how can I help?\"},"
                + "{\"role\": \"user\", \"content\": \"2+2?\"},"
                + "{\"role\": \"assistant\", \"content\": \"4\"}]}"));
        assertEquals(List.of("Grüße 👋 — how can I help?<|im_end|>", "4<|im_end|>"), labelledRuns(chatml, example));
    }

    @Test
    void shareGptConversationsMapFromAndValue() throws IOException {
        SftEncoder encoder = encoder(chatml, 512, false);
        TokenizedExample example = encoder.encodeRecord(json("{\"conversations\": ["
                + "{\"from\": \"system\", \"value\": \"S\"}, {\"from\": \"human\", \"value\": \"Q\"},"
                + "{\"from\": \"gpt\", \"value\": \"A\"}]}"));
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA"
                + "<|im_end|>\n", chatml.decode(example.inputIds(), false));
        assertEquals(List.of("A<|im_end|>"), labelledRuns(chatml, example));
        TokenizedExample topLevelSystem = encoder.encodeRecord(json("{\"system\": \"S\", \"conversations\": ["
                + "{\"from\": \"human\", \"value\": \"Q\"}, {\"from\": \"gpt\", \"value\": \"A\"}]}"));
        assertArrayEquals(example.inputIds(), topLevelSystem.inputIds());
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> encoder.encodeRecord(json(
                "{\"conversations\": [{\"from\": \"robot\", \"value\": \"x\"}]}")));
        assertTrue(e.getMessage().contains("'robot'"), e.getMessage());
    }

    @Test
    void llama3TemplateLabelsTrimmedAnswersWithEotAndWritesBosOnce() {
        SftEncoder encoder = encoder(llama3, 512, false);
        TokenizedExample example = encoder.encode(List.of(Message.system("Be kind."), Message.user("Hi"),
                Message.assistant("  Hello there.  "), Message.user("Bye"), Message.assistant("Goodbye!")));
        // The template trims content, so the trained text is the trimmed answer.
        assertEquals(List.of("Hello there.<|eot_id|>", "Goodbye!<|eot_id|>"), labelledRuns(llama3, example));
        long bos = llama3.tokenToId("<|begin_of_text|>");
        assertEquals(bos, example.inputIds()[0]);
        assertEquals(1, Arrays.stream(example.inputIds()).filter(id -> id == bos).count());
        String text = llama3.decode(example.inputIds(), false);
        assertTrue(text.startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"),
                text);
    }

    @Test
    void trainOnPromptLabelsEveryToken() {
        TokenizedExample example = encoder(llama3, 512, true).encode(List.of(Message.user("Q"), Message.assistant("A")));
        assertArrayEquals(example.inputIds(), example.labels());
    }

    @Test
    void truncationKeepsTheStartAndDropsRecordsWithNothingLeftToTrain() {
        List<Message> conversation = List.of(Message.user("What is the answer?"), Message.assistant("Forty-two"));
        int prompt = chatml.encode(ChatTemplate.of(chatml).render(conversation.subList(0, 1), true)).length;

        TokenizedExample cut = encoder(chatml, prompt + 3, false).encode(conversation);
        assertTrue(cut.truncated());
        assertEquals(prompt + 3, cut.length());
        assertEquals(List.of("For"), labelledRuns(chatml, cut));

        RecordRejectedException e = assertThrows(RecordRejectedException.class,
                () -> encoder(chatml, prompt, false).encode(conversation));
        assertEquals(RecordRejectedException.Reason.TRUNCATED_AWAY, e.reason());
        assertTrue(e.getMessage().contains("maxSeqLength = " + prompt), e.getMessage());
    }

    @Test
    void templateThatRewritesEarlierTurnsIsRefusedNamingTheTurn() {
        // Marks the answer only when it is the last message (as templates that strip reasoning from earlier
        // turns do): the conversation rendered up to turn 1 is then not a prefix of the whole.
        String template = "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] }}"
                + "{% if loop.last and m['role'] == 'assistant' %}{{ ' (last)' }}{% endif %}{{ '<|im_end|>\\n' }}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        SftEncoder encoder = new SftEncoder(chatml, ChatTemplate.of(template, "last-marker", null, "<|im_end|>"), 512,
                false);
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> encoder.encode(List.of(
                Message.user("a"), Message.assistant("b"), Message.user("c"), Message.assistant("d"))));
        assertEquals(RecordRejectedException.Reason.TEMPLATE_NOT_PREFIX_STABLE, e.reason());
        assertTrue(e.getMessage().startsWith("assistant turn 1:"), e.getMessage());
        // With one assistant turn at the end the same template is consistent.
        assertEquals(List.of("d (last)<|im_end|>"), labelledRuns(chatml,
                encoder.encode(List.of(Message.user("c"), Message.assistant("d")))));
    }

    @Test
    void recordsThatCannotTrainAreRefusedWithTheirReason() throws IOException {
        SftEncoder encoder = encoder(chatml, 512, false);
        assertEquals(RecordRejectedException.Reason.NO_ASSISTANT_TURN, assertThrows(RecordRejectedException.class,
                () -> encoder.encodeRecord(json("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")))
                .reason());
        RecordRejectedException preference = assertThrows(RecordRejectedException.class,
                () -> encoder.encodeRecord(json("{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}")));
        assertEquals(RecordRejectedException.Reason.INVALID_RECORD, preference.reason());
        assertTrue(preference.getMessage().contains("dpo"), preference.getMessage());
        RecordRejectedException noOutput = assertThrows(RecordRejectedException.class,
                () -> encoder.encodeRecord(json("{\"instruction\": \"x\"}")));
        assertTrue(noOutput.getMessage().contains("\"output\""), noOutput.getMessage());
        RecordRejectedException mistral = assertThrows(RecordRejectedException.class, () -> new SftEncoder(chatml,
                ChatTemplate.of(resource("mistral-instruct.jinja"), "mistral", "<s>", "</s>"), 512, false)
                .encode(List.of(Message.assistant("first"), Message.user("q"))));
        assertEquals(RecordRejectedException.Reason.TEMPLATE_FAILED, mistral.reason());
    }

    @Test
    void contentPartsAreJoined() throws IOException {
        TokenizedExample example = encoder(chatml, 512, false).encodeRecord(json("{\"messages\": ["
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"}, "
                + "{\"type\": \"text\", \"text\": \"b\"}]}, {\"role\": \"assistant\", \"content\": \"c\"}]}"));
        assertTrue(chatml.decode(example.inputIds(), false).contains("user\nab<|im_end|>"));
    }

    @Test
    void tooShortMaxSeqLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SftEncoder(chatml, ChatTemplate.of(chatml), 1, false));
        assertTrue(e.getMessage().contains("maxSeqLength = 1"), e.getMessage());
    }
}
