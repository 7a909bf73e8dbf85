package io.tuneforge.dataprep.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineRuns;
import io.tuneforge.dataprep.PipelineRuns.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tuneforge.dataprep.PipelineRuns.jsonl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every format and spelling is detected, stated in the manifest and mapped onto the canonical records. */
class FormatsTest {

    @TempDir
    Path tmp;

    private Outcome run(String input) throws PipelineException {
        return PipelineRuns.run(PipelineRuns.settings(tmp).build(), input, tmp.resolve("out"));
    }

    @Test
    void alpacaInstructionIsCanonicalAndEmptyOptionalFieldsAreDropped() throws Exception {
        Outcome o = run(jsonl(
                "{\"instruction\": \"Add the numbers\", \"input\": \"2 and 3\", \"output\": \"5\", \"system\": \"Be brief\"}",
                "{\"output\": \"Paris\", \"input\": \"\", \"instruction\": \"Capital of France?\", \"id\": 7}"));
        assertEquals("instruction", o.manifest().get("format").asText());
        assertEquals(2, o.manifest().at("/detection/spellings/alpaca").asInt());
        assertEquals("{\"instruction\":\"Add the numbers\",\"input\":\"2 and 3\",\"output\":\"5\",\"system\":\"Be brief\"}",
                o.train().get(0).toString());
        // fixed field order, no empty input, unknown fields not carried
        assertEquals("{\"instruction\":\"Capital of France?\",\"output\":\"Paris\"}", o.train().get(1).toString());
        InstructionRecord r = Json.mapper().treeToValue(o.train().get(1), InstructionRecord.class);
        assertEquals("Paris", r.output());
    }

    @Test
    void promptCompletionMapsOntoInstruction() throws Exception {
        Outcome o = run(jsonl("{\"prompt\": \"2+2=\", \"completion\": \"4\"}"));
        assertEquals("instruction", o.manifest().get("format").asText());
        assertEquals(1, o.manifest().at("/spellings/prompt_completion").asInt());
        assertEquals("{\"instruction\":\"2+2=\",\"output\":\"4\"}", o.train().get(0).toString());
    }

    @Test
    void openAiMessagesAreConversations() throws Exception {
        Outcome o = run(jsonl("{\"messages\": [{\"role\": \"system\", \"content\": \"You help.\"}, "
                + "{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]}"));
        assertEquals("conversation", o.manifest().get("format").asText());
        ConversationRecord r = Json.mapper().treeToValue(o.train().get(0), ConversationRecord.class);
        assertEquals(3, r.messages().size());
        assertEquals("assistant", r.messages().get(2).role());
    }

    @Test
    void shareGptConversationsMapFromAndValueOntoRoleAndContent() throws Exception {
        Outcome o = run(jsonl("{\"conversations\": [{\"from\": \"system\", \"value\": \"Be kind\"}, "
                + "{\"from\": \"human\", \"value\": \"Q1\"}, {\"from\": \"gpt\", \"value\": \"A1\"}, "
                + "{\"from\": \"human\", \"value\": \"Q2\"}, {\"from\": \"gpt\", \"value\": \"A2\"}]}"));
        assertEquals("conversation", o.manifest().get("format").asText());
        assertEquals(1, o.manifest().at("/detection/spellings/sharegpt").asInt());
        assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"Be kind\"},{\"role\":\"user\",\"content\":\"Q1\"},"
                + "{\"role\":\"assistant\",\"content\":\"A1\"},{\"role\":\"user\",\"content\":\"Q2\"},"
                + "{\"role\":\"assistant\",\"content\":\"A2\"}]}", o.train().get(0).toString());
    }

    @Test
    void preferenceWithTextAndWithMessagePrompts() throws Exception {
        Outcome o = run(jsonl(
                "{\"prompt\": \"Best color?\", \"chosen\": \"Blue.\", \"rejected\": \"I refuse.\"}",
                "{\"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"chosen\": [{\"role\": \"assistant\", "
                        + "\"content\": \"Hello!\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"Go away\"}]}"));
        assertEquals("preference", o.manifest().get("format").asText());
        assertEquals(2, o.train().size());
        PreferenceRecord text = Json.mapper().treeToValue(o.train().get(0), PreferenceRecord.class);
        assertEquals("Best color?", text.prompt().asText());
        PreferenceRecord messages = Json.mapper().treeToValue(o.train().get(1), PreferenceRecord.class);
        assertTrue(messages.hasConversationPrompt());
        assertEquals("Hello!", messages.chosen());
        assertEquals("Go away", messages.rejected());
    }

    @Test
    void shareGptPreferenceTakesThePromptFromConversations() throws Exception {
        Outcome o = run(jsonl("{\"conversations\": [{\"from\": \"human\", \"value\": \"Tell a joke\"}], "
                + "\"chosen\": {\"from\": \"gpt\", \"value\": \"Why did the chicken...\"}, "
                + "\"rejected\": {\"from\": \"gpt\", \"value\": \"No.\"}}"));
        assertEquals("preference", o.manifest().get("format").asText());
        assertEquals(1, o.manifest().at("/spellings/sharegpt_preference").asInt());
        assertEquals("{\"prompt\":[{\"role\":\"user\",\"content\":\"Tell a joke\"}],\"chosen\":\"Why did the chicken...\","
                + "\"rejected\":\"No.\"}", o.train().get(0).toString());
    }

    @Test
    void jsonArrayAndCsvAreRead() throws Exception {
        Outcome array = PipelineRuns.run(PipelineRuns.settings(tmp).build(),
                "[\n  {\"instruction\": \"a\", \"output\": \"b\"},\n  {\"instruction\": \"c, [d]\", \"output\": \"e\\\"]\"}\n]",
                tmp.resolve("array"));
        assertEquals("json", array.manifest().at("/input/container").asText());
        assertEquals(2, array.train().size());
        assertEquals("e\"]", array.train().get(1).get("output").asText());

        String csv = "Instruction,input,OUTPUT,source\n"
                + "Greet,,Hello,web\n"
                + "\"Quote, with comma\",\"x\",\"multi\nline \"\"answer\"\"\",books\n";
        Outcome rows = PipelineRuns.run(PipelineRuns.settings(tmp).build(), csv, tmp.resolve("csv"));
        assertEquals("csv", rows.manifest().at("/input/container").asText());
        assertEquals("{\"instruction\":\"Greet\",\"output\":\"Hello\",\"source\":\"web\"}", rows.train().get(0).toString());
        assertEquals("multi\nline \"answer\"", rows.train().get(1).get("output").asText());
        assertEquals("Quote, with comma", rows.train().get(1).get("instruction").asText());
    }

    @Test
    void csvColumnsAreMappedOntoFieldsAndTabsAreSniffed() throws Exception {
        String tsv = "question\tanswer\nWhat is 2+2?\t4\n";
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp)
                .columnMapping(java.util.Map.of("Question", "instruction", "answer", "output")).build(), tsv, tmp.resolve("o"));
        assertEquals("{\"instruction\":\"What is 2+2?\",\"output\":\"4\"}", o.train().get(0).toString());
    }

    @Test
    void csvConversationsFitInACellAsJson() throws Exception {
        String csv = "messages\n\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"hi\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"yo\"\"}]\"\n";
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), csv, tmp.resolve("o"));
        assertEquals("conversation", o.manifest().get("format").asText());
        assertEquals("yo", o.train().get(0).at("/messages/1/content").asText());
    }

    @Test
    void theMajorityWinsAndTheMinorityIsRejectedAsFormatMismatch() throws Exception {
        Outcome o = run(jsonl(
                "{\"instruction\": \"a\", \"output\": \"1\"}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}",
                "{\"instruction\": \"b\", \"output\": \"2\"}",
                "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\"}",
                "{\"instruction\": \"c\", \"output\": \"3\"}"));
        assertEquals("instruction", o.manifest().get("format").asText());
        assertEquals(3, o.manifest().at("/detection/votes/instruction").asInt());
        assertEquals(1, o.manifest().at("/detection/votes/conversation").asInt());
        assertEquals(3, o.train().size());
        assertEquals("format_mismatch", o.reason(2));
        assertEquals("format_mismatch", o.reason(4));
        assertTrue(o.rejectedLine(2).at("/reasons/0/message").asText().contains("conversation record (messages spelling)"));
    }

    @Test
    void aGivenFormatOverridesTheMajority() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).format(DatasetFormat.CONVERSATION).build(), jsonl(
                "{\"instruction\": \"a\", \"output\": \"1\"}",
                "{\"instruction\": \"b\", \"output\": \"2\"}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}"),
                tmp.resolve("o"));
        assertEquals(false, o.manifest().at("/detection/detected").asBoolean());
        assertEquals(1, o.train().size());
        assertEquals("format_mismatch", o.reason(1));
    }

    @Test
    void aFileOfNoKnownFormatNamesWhatItFound() {
        PipelineException e = assertThrows(PipelineException.class, () -> run(jsonl(
                "{\"text\": \"some prose\", \"id\": 1}",
                "{\"text\": \"more prose\", \"id\": 2}",
                "[1, 2, 3]")));
        assertEquals(PipelineException.Code.UNKNOWN_FORMAT, e.code());
        assertTrue(e.getMessage().contains("2 JSON objects with fields id (2), text (2)"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3: expected a JSON object per record, got array of 3"), e.getMessage());
        assertTrue(PipelineRuns.listing(tmp.resolve("out")).isEmpty(), "nothing published");
    }

    @Test
    void plainTextIsNotMistakenForCsv() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> run("Once upon a time, there was a dataset.\nIt had no header.\n"));
        assertEquals(PipelineException.Code.UNKNOWN_FORMAT, e.code());
        assertTrue(e.getMessage().contains("'Once upon a time, there was a dataset.'"), e.getMessage());
        assertTrue(e.getMessage().contains("--column NAME=FIELD"), e.getMessage());
    }

    @Test
    void utf16IsNamedAsSuch() {
        byte[] utf16 = "\uFEFF{\"instruction\": \"a\", \"output\": \"b\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineRuns.run(PipelineRuns.settings(tmp).build(), utf16, tmp.resolve("out")));
        assertEquals(PipelineException.Code.UNKNOWN_FORMAT, e.code());
        assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
    }

    @Test
    void classifyLooksAtFieldNamesInAFixedOrder() throws Exception {
        assertEquals(Spelling.PREFERENCE, Spelling.classify(json("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}")));
        assertEquals(Spelling.SHAREGPT_PREFERENCE, Spelling.classify(json("{\"conversations\":[],\"chosen\":\"a\"}")));
        assertEquals(Spelling.MESSAGES, Spelling.classify(json("{\"messages\":[]}")));
        assertEquals(Spelling.SHAREGPT, Spelling.classify(json("{\"conversations\":[]}")));
        assertEquals(Spelling.ALPACA, Spelling.classify(json("{\"instruction\":\"x\"}")));
        assertEquals(Spelling.PROMPT_COMPLETION, Spelling.classify(json("{\"prompt\":\"x\",\"completion\":\"y\"}")));
        assertEquals(null, Spelling.classify(json("{\"prompt\":\"x\",\"instruction\":null}")));
    }

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }
}
