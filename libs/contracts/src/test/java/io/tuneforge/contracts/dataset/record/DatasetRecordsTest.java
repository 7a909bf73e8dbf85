package io.tuneforge.contracts.dataset.record;

import io.tuneforge.contracts.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetRecordsTest {

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = DatasetRecordsTest.class.getResourceAsStream("/examples/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void instructionRecordsReadAndRoundTrip() throws IOException {
        List<String> lines = lines("instruction.jsonl");
        InstructionRecord first = Json.read(lines.get(0), InstructionRecord.class);
        assertEquals("Summarise the ticket in one sentence.", first.instruction());
        assertEquals(first, Json.read(Json.write(first), InstructionRecord.class));
        InstructionRecord second = Json.read(lines.get(1), InstructionRecord.class);
        assertEquals("You are a translator.", second.system());
        assertEquals(null, second.input());
        assertFalse(Json.write(second).contains("input"), "absent fields are not written as null");
    }

    @Test
    void instructionAsChatTurns() {
        assertEquals(List.of(ChatMessage.system("S"), ChatMessage.user("Do X\n\nwith this"), ChatMessage.assistant("done")),
                new InstructionRecord("Do X", "with this", "done", "S").toMessages());
        assertEquals(List.of(ChatMessage.user("Do X"), ChatMessage.assistant("done")),
                new InstructionRecord("Do X", "", "done", null).toMessages());
    }

    @Test
    void conversationRecordsReadAndRoundTrip() throws IOException {
        ConversationRecord c = Json.read(lines("conversation.jsonl").get(1), ConversationRecord.class);
        assertEquals(4, c.messages().size());
        assertEquals(ChatMessage.assistant("12"), c.messages().get(3));
        assertEquals(c, Json.read(Json.write(c), ConversationRecord.class));
        assertEquals(ConversationRecord.of(ChatMessage.user("a"), ChatMessage.assistant("b")),
                Json.read("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\","
                        + "\"weight\":1}]}", ConversationRecord.class));
    }

    @Test
    void preferenceRecordWithStringPrompt() throws IOException {
        PreferenceRecord p = Json.read(lines("preference.jsonl").get(0), PreferenceRecord.class);
        assertFalse(p.hasConversationPrompt());
        assertEquals(List.of(ChatMessage.user("Write a haiku about autumn.")), p.promptMessages());
        assertEquals("Autumn is a season.", p.rejected());
        assertEquals(p, Json.read(Json.write(p), PreferenceRecord.class));
        assertEquals(List.of(ChatMessage.system("sys"), ChatMessage.user("q")),
                new PreferenceRecord(PreferenceRecord.of("q", "a", "b").prompt(), "a", "b", "sys").promptMessages());
    }

    @Test
    void preferenceRecordWithConversationPrompt() throws IOException {
        PreferenceRecord p = Json.read(lines("preference.jsonl").get(1), PreferenceRecord.class);
        assertTrue(p.hasConversationPrompt());
        List<ChatMessage> prompt = List.of(ChatMessage.system("Be concise."), ChatMessage.user("Capital of France?"));
        assertEquals(prompt, p.promptMessages());
        assertEquals(PreferenceRecord.of(prompt, p.chosen(), p.rejected()), p);
        assertEquals(p, Json.read(Json.write(p), PreferenceRecord.class));
    }

    @Test
    void preferencePromptOfAnotherShapeIsRefusedByName() {
        PreferenceRecord p = Json.read("{\"prompt\": 5, \"chosen\": \"a\", \"rejected\": \"b\"}", PreferenceRecord.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, p::promptMessages);
        assertEquals("prompt must be a string or an array of messages, got number", e.getMessage());
    }

    @Test
    void rolesAreTheChatTemplateRoles() {
        assertEquals(List.of("system", "user", "assistant"), ChatMessage.ROLES);
    }
}
