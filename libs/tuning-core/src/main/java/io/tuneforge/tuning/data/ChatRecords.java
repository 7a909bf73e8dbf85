package io.tuneforge.tuning.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dataset records (one JSON object per JSONL line) as chat turns.
 *
 * <ul>
 *   <li>Instruction (Alpaca): {@code instruction}, optional {@code input}, {@code output}, optional
 *       {@code system} → [system], user = instruction + ("\n\n" + input when input is not blank),
 *       assistant = output — the same turns as contracts' {@code InstructionRecord.toMessages()}.</li>
 *   <li>Conversation (OpenAI): {@code messages} of {@code {role, content}}; content is a string or
 *       a list of {@code {type: "text", text}} parts (joined).</li>
 *   <li>ShareGPT: {@code conversations} of {@code {from, value}}; from = human/user → user,
 *       gpt/assistant/model/chatgpt → assistant, system → system.</li>
 *   <li>Conversation and ShareGPT records may carry a top-level {@code system} string; it becomes
 *       the first turn unless the turns start with a system message.</li>
 * </ul>
 */
public final class ChatRecords {

    private static final Map<String, String> SHAREGPT_ROLES = Map.of(
            "human", "user", "user", "user",
            "gpt", "assistant", "assistant", "assistant", "model", "assistant", "chatgpt", "assistant",
            "system", "system");

    private ChatRecords() {
    }

    /**
     * The turns of a record.
     *
     * @throws RecordRejectedException ({@link RecordRejectedException.Reason#INVALID_RECORD}) naming the
     *     field that is missing or of the wrong type and the shape expected
     */
    public static List<Message> messages(JsonNode record) {
        if (record == null || !record.isObject()) {
            throw invalid("a record must be a JSON object, got " + (record == null ? "nothing" : record.getNodeType()));
        }
        if (record.has("messages")) {
            return withSystem(record, conversation(record.get("messages"), "messages", "role", "content", null));
        }
        if (record.has("conversations")) {
            return withSystem(record, conversation(record.get("conversations"), "conversations", "from", "value",
                    SHAREGPT_ROLES));
        }
        if (record.has("instruction")) {
            return instruction(record);
        }
        if (record.has("chosen") || record.has("rejected")) {
            throw invalid("a preference record (prompt/chosen/rejected) cannot train with SFT; use method dpo or"
                    + " orpo, or give instruction/output or messages records");
        }
        List<String> fields = new ArrayList<>();
        record.fieldNames().forEachRemaining(fields::add);
        throw invalid("record has fields " + fields + " but needs \"instruction\" + \"output\" (instruction format),"
                + " \"messages\" (conversation format) or \"conversations\" (ShareGPT format)");
    }

    /** A top-level {@code system} string (LLaMA-Factory's ShareGPT layout) leads unless a system turn is there. */
    private static List<Message> withSystem(JsonNode record, List<Message> turns) {
        String system = text(record, "system", false);
        if (system == null || system.isBlank() || "system".equals(turns.get(0).role())) {
            return turns;
        }
        List<Message> out = new ArrayList<>(turns.size() + 1);
        out.add(Message.system(system));
        out.addAll(turns);
        return out;
    }

    private static List<Message> instruction(JsonNode record) {
        String instruction = text(record, "instruction", true);
        String input = text(record, "input", false);
        String output = text(record, "output", true);
        String system = text(record, "system", false);
        List<Message> out = new ArrayList<>(3);
        if (system != null && !system.isBlank()) {
            out.add(Message.system(system));
        }
        out.add(Message.user(input == null || input.isBlank() ? instruction : instruction + "\n\n" + input));
        out.add(Message.assistant(output));
        return out;
    }

    private static String text(JsonNode record, String field, boolean required) {
        JsonNode node = record.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid("instruction record needs a string \"" + field + "\"");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("\"" + field + "\" must be a string, got " + node.getNodeType());
        }
        return node.asText();
    }

    private static List<Message> conversation(JsonNode turns, String field, String roleField, String contentField,
                                              Map<String, String> roleMap) {
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            throw invalid("\"" + field + "\" must be a non-empty array of {" + roleField + ", " + contentField
                    + "} objects");
        }
        List<Message> out = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            JsonNode role = turn.get(roleField);
            if (role == null || !role.isTextual() || role.asText().isBlank()) {
                throw invalid(field + "[" + i + "] needs a non-blank string \"" + roleField + "\"");
            }
            String name = role.asText();
            if (roleMap != null) {
                String mapped = roleMap.get(name.toLowerCase(Locale.ROOT));
                if (mapped == null) {
                    throw invalid(field + "[" + i + "]." + roleField + " = '" + name + "' is not supported; use one of "
                            + roleMap.keySet());
                }
                name = mapped;
            }
            out.add(new Message(name, content(turn.get(contentField), field + "[" + i + "]." + contentField)));
        }
        return out;
    }

    /** A string, or OpenAI content parts {@code [{"type": "text", "text": ...}]} joined. */
    private static String content(JsonNode node, String where) {
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        if (node != null && node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : node) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw invalid(where + " parts must be {\"type\": \"text\", \"text\": string}, got " + part);
                }
                joined.append(part.get("text").asText());
            }
            return joined.toString();
        }
        throw invalid(where + " must be a string, got " + (node == null ? "nothing" : node.getNodeType()));
    }

    private static RecordRejectedException invalid(String message) {
        return new RecordRejectedException(RecordRejectedException.Reason.INVALID_RECORD, message);
    }
}
