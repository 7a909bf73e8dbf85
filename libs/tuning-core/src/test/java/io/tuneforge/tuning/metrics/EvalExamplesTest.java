package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.chat.Message;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records of every dataset format become a prompt and a reference. */
class EvalExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EvalExample parse(String json) throws Exception {
        return EvalExamples.parse(JSON.readTree(json), 3);
    }

    @Test
    void instructionRecord() throws Exception {
        EvalExample e = parse("{\"instruction\": \"Translate\", \"input\": \"chat\", \"output\": \"cat\"}");
        assertEquals(List.of(Message.user("Translate\n\nchat")), e.prompt());
        assertEquals("cat", e.reference());
        assertNull(e.rejected());
    }

    @Test
    void conversationKeepsEarlierTurnsAsPrompt() throws Exception {
        EvalExample e = parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\","
                + " \"content\": \"hello\"}, {\"role\": \"user\", \"content\": \"2+2?\"}, {\"role\": \"assistant\","
                + " \"content\": \"4\"}]}");
        assertEquals(3, e.prompt().size());
        assertEquals("4", e.reference());
    }

    @Test
    void preferenceRecordUsesChosenAsReference() throws Exception {
        EvalExample e = parse("{\"prompt\": \"Capital of France?\", \"system\": \"Be brief.\", \"chosen\": \"Paris\","
                + " \"rejected\": \"Lyon\"}");
        assertEquals(List.of(Message.system("Be brief."), Message.user("Capital of France?")), e.prompt());
        assertEquals("Paris", e.reference());
        assertEquals("Lyon", e.rejected());
        assertTrue(e.isPreference());
    }

    @Test
    void recordsWithoutAnAnswerAreRefusedWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
        assertTrue(e.getMessage().startsWith("line 3: the last turn must be the assistant's"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"prompt\": \"q\", \"chosen\": \"a\"}"));
        assertTrue(p.getMessage().contains("\"rejected\""), p.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> parse("{\"text\": \"x\"}"));
        assertTrue(f.getMessage().startsWith("line 3: "), f.getMessage());
    }
}
