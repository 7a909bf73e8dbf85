package io.tuneforge.dataprep.format;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.PipelineRuns;
import io.tuneforge.dataprep.PipelineRuns.Outcome;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.validate.TokenCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tuneforge.dataprep.PipelineRuns.jsonl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each validation reason, with the field path in the input's own spelling. */
class ValidationTest {

    private static final String GOOD = "{\"instruction\": \"ok\", \"output\": \"fine\"}";
    private static final String GOOD_CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, "
            + "{\"role\": \"assistant\", \"content\": \"a\"}]}";

    @TempDir
    Path tmp;

    private Outcome run(PipelineSettings.Builder settings, String... lines) throws Exception {
        return PipelineRuns.run(settings.exactDedup(false).nearDedup(false).build(), jsonl(lines), tmp.resolve("out"));
    }

    private Outcome run(String... lines) throws Exception {
        return run(PipelineRuns.settings(tmp), lines);
    }

    private static void assertReason(Outcome o, long line, String code, String path, String messagePart) {
        assertEquals(code, o.reason(line), o.rejectedLine(line).toString());
        assertEquals(path, o.path(line), o.rejectedLine(line).toString());
        String message = o.rejectedLine(line).at("/reasons/0/message").asText();
        assertTrue(message.contains(messagePart), message);
    }

    @Test
    void missingEmptyAndWrongTypedFields() throws Exception {
        Outcome o = run(GOOD,
                "{\"instruction\": \"no output here\"}",
                "{\"instruction\": \"   \", \"output\": \"x\"}",
                "{\"instruction\": [\"a\"], \"output\": \"x\"}",
                "{\"instruction\": \"a\", \"output\": \"x\", \"input\": 42}",
                "{\"instruction\": null, \"output\": null}");
        assertEquals(1, o.train().size());
        assertReason(o, 2, "missing_field", "output", "required field 'output' is absent");
        assertReason(o, 3, "empty_field", "instruction", "'instruction' is blank");
        assertReason(o, 4, "wrong_type", "instruction", "got array of 1");
        assertReason(o, 5, "wrong_type", "input", "got number 42");
        assertEquals(2, o.rejectedLine(6).get("reasons").size(), "every problem of a record is reported");
    }

    @Test
    void shareGptRolesAndOrderAreCheckedWithTheirOwnPaths() throws Exception {
        Outcome o = run(PipelineRuns.settings(tmp),
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"tool\", \"value\": \"a\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"human\", \"value\": \"q2\"}, "
                        + "{\"from\": \"gpt\", \"value\": \"a\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}, "
                        + "{\"from\": \"human\", \"value\": \"dangling\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"system\", \"value\": \"late\"}, "
                        + "{\"from\": \"gpt\", \"value\": \"a\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\"}]}",
                "{\"conversations\": \"not a list\"}");
        assertEquals(1, o.train().size());
        assertReason(o, 2, "invalid_role", "conversations[1].from", "role string \"tool\" is not supported");
        assertReason(o, 3, "invalid_role_order", "conversations[1].from", "expected 'assistant'");
        assertReason(o, 4, "invalid_role_order", "conversations", "must end with an assistant turn");
        assertReason(o, 5, "invalid_role_order", "conversations[1].from", "only allowed as the first turn");
        assertReason(o, 6, "missing_field", "conversations[1].value", "turn 1 has no 'value'");
        assertReason(o, 7, "wrong_type", "conversations", "as a list of turns, got string");
    }

    @Test
    void conversationStartingWithAssistantAndContentPartsAreRejected() throws Exception {
        Outcome o = run(PipelineRuns.settings(tmp),
                GOOD_CHAT,
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"hi\"}, {\"role\": \"user\", \"content\": \"q\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"q\"}]}, "
                        + "{\"role\": \"assistant\", \"content\": \"a\"}]}",
                "{\"messages\": []}");
        assertReason(o, 2, "invalid_role_order", "messages[0].role", "expected 'user'");
        assertReason(o, 3, "wrong_type", "messages[0].content", "content parts are not supported");
        assertReason(o, 4, "empty_field", "messages", "has no turns");
    }

    @Test
    void preferenceChecks() throws Exception {
        Outcome o = run(PipelineRuns.settings(tmp),
                "{\"prompt\": \"p\", \"chosen\": \"good\", \"rejected\": \"bad\"}",
                "{\"prompt\": \"p\", \"chosen\": \"Same answer.\", \"rejected\": \"Same answer.  \"}",
                "{\"prompt\": \"p\", \"chosen\": \"x\"}",
                "{\"prompt\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}], "
                        + "\"chosen\": \"x\", \"rejected\": \"y\"}",
                "{\"prompt\": \"p\", \"chosen\": {\"role\": \"user\", \"content\": \"x\"}, \"rejected\": \"y\"}");
        assertEquals(1, o.train().size());
        assertReason(o, 2, "chosen_equals_rejected", "rejected", "same text (after cleaning)");
        assertReason(o, 3, "missing_field", "rejected", "required field 'rejected' is absent");
        assertReason(o, 4, "invalid_role_order", "prompt", "must end with a user turn");
        assertReason(o, 5, "invalid_role", "chosen.role", "must be an assistant turn");
    }

    @Test
    void controlCharacterJunkIsRejectedButStrayOnesAreCleaned() throws Exception {
        Outcome o = run(
                "{\"instruction\": \"bell\\u0007 once\", \"output\": \"fine\"}",
                "{\"instruction\": \"nul\\u0000byte\", \"output\": \"x\"}",
                "{\"instruction\": \"\\u0001\\u0002\\u0003\\u0004ab\", \"output\": \"x\"}");
        assertEquals("bell once", o.train().get(0).get("instruction").asText());
        assertReason(o, 2, "control_characters", "instruction", "NUL character");
        assertReason(o, 3, "control_characters", "instruction", "4 of its 6 characters are control characters");
    }

    @Test
    void aFieldThatCleaningEmptiesIsRejected() throws Exception {
        Outcome o = run("{\"instruction\": \"\\u200b\\u200b\", \"output\": \"x\"}", GOOD);
        assertReason(o, 1, "empty_field", "instruction", "nothing is left after cleaning");
    }

    @Test
    void tokenLimitUsesTheGivenCounter() throws Exception {
        // default estimate: "aaaa aaaa" (9 chars) + "b" → 3 + 1 = 4 tokens, 13 chars → 4 + 1; CJK one per character
        Outcome estimate = run(PipelineRuns.settings(tmp).maxTokens(4),
                "{\"instruction\": \"aaaa aaaa\", \"output\": \"b\"}",
                "{\"instruction\": \"aaaa aaaa aaa\", \"output\": \"b\"}",
                "{\"instruction\": \"你好世界\", \"output\": \"b\"}");
        assertEquals(1, estimate.train().size());
        assertReason(estimate, 2, "too_many_tokens", null, "5 tokens, more than the limit of 4");
        assertEquals("too_many_tokens", estimate.reason(3));

        TokenCounter words = new TokenCounter() {
            @Override
            public int count(String text) {
                return text.split("\\s+").length;
            }

            @Override
            public String description() {
                return "whitespace words";
            }
        };
        Outcome counted = run(PipelineRuns.settings(tmp).maxTokens(3).tokenCounter(words),
                "{\"instruction\": \"one two\", \"output\": \"three\"}",
                "{\"instruction\": \"one two three\", \"output\": \"four\"}");
        assertEquals(1, counted.train().size());
        assertReason(counted, 2, "too_many_tokens", null, "counted with whitespace words");
        assertEquals("whitespace words", counted.manifest().at("/tokens/counter").asText());
    }

    @Test
    void conversionToInstructionRejectsLongConversations() throws Exception {
        Outcome o = run(PipelineRuns.settings(tmp).convertTo(DatasetFormat.INSTRUCTION),
                "{\"messages\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"q\"}, "
                        + "{\"role\": \"assistant\", \"content\": \"a\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q1\"}, {\"role\": \"assistant\", \"content\": \"a1\"}, "
                        + "{\"role\": \"user\", \"content\": \"q2\"}, {\"role\": \"assistant\", \"content\": \"a2\"}]}");
        assertEquals("{\"instruction\":\"q\",\"output\":\"a\",\"system\":\"s\"}", o.train().get(0).toString());
        assertReason(o, 2, "not_convertible", "messages", "this conversation has 4 turns");
        assertEquals("instruction", o.manifest().get("format").asText());
        assertEquals("conversation", o.manifest().at("/detection/format").asText());
    }

    @Test
    void conversionToConversationJoinsInstructionAndInput() throws Exception {
        Outcome o = run(PipelineRuns.settings(tmp).convertTo(DatasetFormat.CONVERSATION),
                "{\"instruction\": \"Translate\", \"input\": \"chat\", \"output\": \"cat\", \"system\": \"sys\"}");
        assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":"
                + "\"Translate\\n\\nchat\"},{\"role\":\"assistant\",\"content\":\"cat\"}]}", o.train().get(0).toString());
    }
}
