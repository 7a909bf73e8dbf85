package io.tuneforge.dataprep.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;
import io.tuneforge.dataprep.record.Example;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps one JSON object of a given {@link Spelling} onto a canonical {@link Example}, checking its structure on the
 * way: required fields present (missing_field) and not blank (empty_field), strings where strings belong
 * (wrong_type), known roles (invalid_role) in a valid order (invalid_role_order). Every problem of the record is
 * reported, each with the path in the input's own spelling ({@code conversations[2].from}).
 *
 * <p>Rules for messages (conversations and preference prompts): keys {@code role}/{@code content} or
 * {@code from}/{@code value}; roles {@code system}, {@code user} (also {@code human}), {@code assistant} (also
 * {@code gpt}, {@code model}), case-insensitive; a system turn only first; then user and assistant alternate,
 * starting with user; a conversation ends with an assistant turn, a preference prompt with a user turn. A system
 * turn with empty content is dropped (it says nothing); any other empty turn is an empty_field.
 */
public final class RecordMapper {

    /**
     * A mapped record and where its canonical text paths came from, when that differs from the canonical path
     * (ShareGPT {@code conversations[1].value} for {@code messages[1].content}).
     */
    public record Mapped(Example example, Spelling spelling, Map<String, String> sourcePaths) {

        /** The input's path of a canonical text path. */
        public String sourcePath(String canonicalPath) {
            return sourcePaths.getOrDefault(canonicalPath, canonicalPath);
        }
    }

    private enum Ending { ASSISTANT, USER }

    private RecordMapper() {
    }

    /** The record as canonical {@link Example}, or null with every problem added to {@code reasons}. */
    public static Mapped map(JsonNode object, Spelling spelling, List<Reason> reasons) {
        int before = reasons.size();
        Map<String, String> paths = new HashMap<>(4);
        String source = source(object);
        Example example = switch (spelling) {
            case ALPACA -> instruction(object, "instruction", "output", source, reasons);
            case PROMPT_COMPLETION -> instruction(object, "prompt", "completion", source, reasons);
            case MESSAGES, SHAREGPT -> conversation(object, spelling == Spelling.SHAREGPT ? "conversations" : "messages",
                    source, paths, reasons);
            case PREFERENCE, SHAREGPT_PREFERENCE -> preference(object,
                    spelling == Spelling.SHAREGPT_PREFERENCE ? "conversations" : "prompt", source, paths, reasons);
        };
        if (reasons.size() > before || example == null) {
            return null;
        }
        paths.entrySet().removeIf(e -> e.getKey().equals(e.getValue()));   // identity entries say nothing
        return new Mapped(example, spelling, paths.isEmpty() ? Map.of() : paths);
    }

    private static Example instruction(JsonNode o, String instructionField, String outputField, String source,
            List<Reason> reasons) {
        String needs = "an instruction record needs '" + instructionField + "' and '" + outputField + "'";
        String instruction = text(o, instructionField, true, needs, reasons);
        String input = text(o, "input", false, needs, reasons);
        String output = text(o, outputField, true, needs, reasons);
        String system = text(o, "system", false, needs, reasons);
        if (instruction == null || output == null) {
            return null;
        }
        return Example.of(new InstructionRecord(instruction, input, output, system), source);
    }

    private static Example conversation(JsonNode o, String field, String source, Map<String, String> paths,
            List<Reason> reasons) {
        JsonNode array = o.get(field);
        if (array == null || array.isNull()) {
            reasons.add(Reason.of(ReasonCode.MISSING_FIELD, field, "required field '" + field
                    + "' is absent; a conversation record needs a list of turns"));
            return null;
        }
        List<ChatMessage> messages = messages(array, field, "messages", Ending.ASSISTANT, paths, reasons);
        return messages == null ? null : Example.of(new ConversationRecord(messages), source);
    }

    private static Example preference(JsonNode o, String promptField, String source, Map<String, String> paths,
            List<Reason> reasons) {
        int before = reasons.size();
        JsonNode promptNode = o.get(promptField);
        JsonNode prompt = null;
        if (promptNode == null || promptNode.isNull()) {
            reasons.add(Reason.of(ReasonCode.MISSING_FIELD, promptField, "required field '" + promptField
                    + "' is absent; a preference record needs prompt, chosen and rejected"));
        } else if (promptNode.isTextual()) {
            if (promptNode.asText().isBlank()) {
                reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, promptField, "'" + promptField + "' is blank"));
            } else {
                prompt = promptNode;
                paths.put("prompt", promptField);
            }
        } else if (promptNode.isArray()) {
            List<ChatMessage> turns = messages(promptNode, promptField, "prompt", Ending.USER, paths, reasons);
            if (turns != null) {
                prompt = Example.messagesNode(turns);
            }
        } else {
            reasons.add(Reason.of(ReasonCode.WRONG_TYPE, promptField, "expected the prompt as a string or a list of "
                    + "{role, content} turns, got " + describe(promptNode)));
        }
        String chosen = answer(o, "chosen", paths, reasons);
        String rejected = answer(o, "rejected", paths, reasons);
        String system = text(o, "system", false, "", reasons);
        if (reasons.size() > before) {
            return null;
        }
        if (prompt.isArray() && system != null) {
            List<ChatMessage> turns = new ArrayList<>(Example.messagesOf(prompt));
            if (ChatMessage.SYSTEM.equals(turns.get(0).role())) {
                reasons.add(Reason.of(ReasonCode.INVALID_ROLE_ORDER, "system", "the record has both a 'system' field "
                        + "and a system turn in '" + promptField + "'; keep one"));
                return null;
            }
            turns.add(0, ChatMessage.system(system));
            Map<String, String> shifted = new HashMap<>();
            paths.forEach((k, v) -> shifted.put(shiftIndex(k), v));
            paths.clear();
            paths.putAll(shifted);
            paths.put("prompt[0].content", "system");
            prompt = Example.messagesNode(turns);
            system = null;
        }
        return Example.of(new PreferenceRecord(prompt, chosen, rejected, system), source);
    }

    /** {@code prompt[3].content} → {@code prompt[4].content}. */
    private static String shiftIndex(String path) {
        int open = path.indexOf('[');
        int close = path.indexOf(']');
        if (!path.startsWith("prompt[") || close < 0) {
            return path;
        }
        int index = Integer.parseInt(path.substring(open + 1, close));
        return "prompt[" + (index + 1) + path.substring(close);
    }

    /** chosen / rejected: a string, a {role, content} object, or a list holding one assistant message. */
    private static String answer(JsonNode o, String field, Map<String, String> paths, List<Reason> reasons) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            reasons.add(Reason.of(ReasonCode.MISSING_FIELD, field, "required field '" + field
                    + "' is absent; a preference record needs prompt, chosen and rejected"));
            return null;
        }
        String path = field;
        if (v.isArray()) {
            if (v.size() != 1) {
                reasons.add(Reason.of(ReasonCode.WRONG_TYPE, field, "expected '" + field + "' as a string, a message "
                        + "object or a list holding one assistant message; got " + describe(v)));
                return null;
            }
            v = v.get(0);
            path = field + "[0]";
        }
        if (v.isObject()) {
            String roleKey = v.has("role") ? "role" : v.has("from") ? "from" : null;
            if (roleKey != null) {
                String role = role(v.get(roleKey));
                if (!ChatMessage.ASSISTANT.equals(role)) {
                    reasons.add(Reason.of(ReasonCode.INVALID_ROLE, path + "." + roleKey, "the answer in '" + field
                            + "' must be an assistant turn, got " + describe(v.get(roleKey))));
                    return null;
                }
            }
            String contentKey = v.has("content") ? "content" : v.has("value") ? "value" : "content";
            String text = text(v, contentKey, path + "." + contentKey, true, "a message needs '" + contentKey + "'",
                    reasons);
            if (text != null) {
                paths.put(field, path + "." + contentKey);
            }
            return text;
        }
        if (!v.isTextual()) {
            reasons.add(Reason.of(ReasonCode.WRONG_TYPE, field, "expected '" + field + "' as a string, got "
                    + describe(v)));
            return null;
        }
        if (v.asText().isBlank()) {
            reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, field, "'" + field + "' is blank"));
            return null;
        }
        return v.asText();
    }

    private static List<ChatMessage> messages(JsonNode array, String field, String canonicalField, Ending ending,
            Map<String, String> paths, List<Reason> reasons) {
        if (!array.isArray()) {
            reasons.add(Reason.of(ReasonCode.WRONG_TYPE, field, "expected '" + field + "' as a list of turns, got "
                    + describe(array)));
            return null;
        }
        if (array.isEmpty()) {
            reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, field, "'" + field + "' has no turns"));
            return null;
        }
        int before = reasons.size();
        List<ChatMessage> out = new ArrayList<>(array.size());
        List<Integer> sourceIndex = new ArrayList<>(array.size());
        List<String> roleKeys = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            String at = field + "[" + i + "]";
            if (!m.isObject()) {
                reasons.add(Reason.of(ReasonCode.WRONG_TYPE, at, "expected a {role, content} object, got "
                        + describe(m)));
                continue;
            }
            String roleKey = m.has("role") || !m.has("from") ? "role" : "from";
            String contentKey = m.has("content") ? "content" : m.has("value") ? "value"
                    : "from".equals(roleKey) ? "value" : "content";
            JsonNode roleNode = m.get(roleKey);
            String role = null;
            if (roleNode == null || roleNode.isNull()) {
                reasons.add(Reason.of(ReasonCode.MISSING_FIELD, at + "." + roleKey, "turn " + i + " has no '"
                        + roleKey + "'"));
            } else {
                role = role(roleNode);
                if (role == null) {
                    reasons.add(Reason.of(ReasonCode.INVALID_ROLE, at + "." + roleKey, "role " + describe(roleNode)
                            + " is not supported; expected system, user or assistant (ShareGPT: system, human, gpt)"));
                }
            }
            JsonNode content = m.get(contentKey);
            String contentPath = at + "." + contentKey;
            String text = null;
            if (content == null || content.isNull()) {
                reasons.add(Reason.of(ReasonCode.MISSING_FIELD, contentPath, "turn " + i + " has no '" + contentKey
                        + "'"));
            } else if (!content.isTextual()) {
                reasons.add(Reason.of(ReasonCode.WRONG_TYPE, contentPath, "expected the turn's text as a string, got "
                        + describe(content) + (content.isArray() ? " (content parts are not supported)" : "")));
            } else if (content.asText().isBlank()) {
                if (ChatMessage.SYSTEM.equals(role)) {
                    continue;   // an empty system turn says nothing: dropped
                }
                reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, contentPath, "turn " + i + " ('" + roleKey + "' "
                        + roleNode + ") is blank"));
            } else {
                text = content.asText();
            }
            if (role != null && text != null) {
                paths.put(canonicalField + "[" + out.size() + "].content", contentPath);
                out.add(new ChatMessage(role, text));
                sourceIndex.add(i);
                roleKeys.add(roleKey);
            }
        }
        if (reasons.size() > before) {
            return null;
        }
        if (!checkOrder(out, sourceIndex, roleKeys, field, ending, reasons)) {
            return null;
        }
        return out;
    }

    private static boolean checkOrder(List<ChatMessage> turns, List<Integer> sourceIndex, List<String> roleKeys,
            String field, Ending ending, List<Reason> reasons) {
        int start = !turns.isEmpty() && ChatMessage.SYSTEM.equals(turns.get(0).role()) ? 1 : 0;
        if (turns.size() == start) {
            reasons.add(Reason.of(ReasonCode.INVALID_ROLE_ORDER, field, "'" + field + "' has no user or assistant turns"));
            return false;
        }
        for (int k = start; k < turns.size(); k++) {
            String expected = (k - start) % 2 == 0 ? ChatMessage.USER : ChatMessage.ASSISTANT;
            String role = turns.get(k).role();
            if (!expected.equals(role)) {
                String at = field + "[" + sourceIndex.get(k) + "]." + roleKeys.get(k);
                String why = ChatMessage.SYSTEM.equals(role)
                        ? "a system turn is only allowed as the first turn"
                        : "expected '" + expected + "' (after an optional system turn, turns alternate user, assistant, "
                                + "user, ...), got '" + role + "'";
                reasons.add(Reason.of(ReasonCode.INVALID_ROLE_ORDER, at, why));
                return false;
            }
        }
        String last = turns.get(turns.size() - 1).role();
        String wanted = ending == Ending.ASSISTANT ? ChatMessage.ASSISTANT : ChatMessage.USER;
        if (!wanted.equals(last)) {
            reasons.add(Reason.of(ReasonCode.INVALID_ROLE_ORDER, field, ending == Ending.ASSISTANT
                    ? "the conversation ends with a user turn; it must end with an assistant turn (the one learned)"
                    : "the prompt ends with an assistant turn; it must end with a user turn (chosen/rejected answer it)"));
            return false;
        }
        return true;
    }

    /** Canonical role of a role value, or null when unknown. */
    private static String role(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        switch (node.asText().trim().toLowerCase(Locale.ROOT)) {
            case "system":
                return ChatMessage.SYSTEM;
            case "user":
            case "human":
                return ChatMessage.USER;
            case "assistant":
            case "gpt":
            case "model":
                return ChatMessage.ASSISTANT;
            default:
                return null;
        }
    }

    private static String text(JsonNode o, String field, boolean required, String needs, List<Reason> reasons) {
        return text(o, field, field, required, needs, reasons);
    }

    /** A string field: null (with a reason when required) if absent, blank or of another type. */
    private static String text(JsonNode o, String field, String path, boolean required, String needs,
            List<Reason> reasons) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                reasons.add(Reason.of(ReasonCode.MISSING_FIELD, path, "required field '" + field + "' is absent; "
                        + needs));
            }
            return null;
        }
        if (!v.isTextual()) {
            reasons.add(Reason.of(ReasonCode.WRONG_TYPE, path, "expected '" + field + "' as a string, got "
                    + describe(v)));
            return null;
        }
        if (v.asText().isBlank()) {
            if (required) {
                reasons.add(Reason.of(ReasonCode.EMPTY_FIELD, path, "'" + field + "' is blank; " + needs
                        + " with text"));
            }
            return null;
        }
        return v.asText();
    }

    /** The record's {@code source} label (a string or number), or null. */
    static String source(JsonNode o) {
        JsonNode v = o.get("source");
        if (v == null || !(v.isTextual() || v.isNumber() || v.isBoolean())) {
            return null;
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** A JSON value in a few words for messages: {@code number 42}, {@code array of 3}, {@code string "hi"}. */
    public static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            String s = v.asText();
            return "string " + TextNode.valueOf(s.length() > 40 ? s.substring(0, 40) + "…" : s);
        }
        if (v.isArray()) {
            return "array of " + v.size();
        }
        if (v.isObject()) {
            List<String> names = new ArrayList<>();
            v.fieldNames().forEachRemaining(names::add);
            return "object with fields " + names;
        }
        String s = v.toString();
        return v.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }
}
