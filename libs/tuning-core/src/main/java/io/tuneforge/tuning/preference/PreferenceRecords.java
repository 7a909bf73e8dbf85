package io.tuneforge.tuning.preference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.RecordRejectedException;

import java.util.ArrayList;
import java.util.List;

/**
 * Preference records (one JSON object per JSONL line, as data-service writes them) as
 * {@link PreferencePair}s. The layouts TRL's DPO/ORPO trainers and LLaMA-Factory accept:
 *
 * <ul>
 *   <li>Standard: {@code {"prompt": "...", "chosen": "...", "rejected": "..."}} — the prompt becomes one
 *       user turn.</li>
 *   <li>Conversational: {@code prompt} a list of {@code {role, content}} turns; {@code chosen} and
 *       {@code rejected} strings or a one-turn list {@code [{"role": "assistant", "content": "..."}]}.</li>
 *   <li>Implicit prompt (TRL): no {@code prompt}; {@code chosen} and {@code rejected} are whole
 *       conversations that end with the assistant's answer and agree on every turn before it, which is
 *       the prompt.</li>
 *   <li>An optional top-level {@code system} string leads the prompt unless it starts with a system turn.</li>
 * </ul>
 *
 * Content is a string or OpenAI content parts {@code [{"type": "text", "text": ...}]} (joined).
 */
public final class PreferenceRecords {

    private PreferenceRecords() {
    }

    /**
     * The pair in a record.
     *
     * @throws RecordRejectedException ({@link RecordRejectedException.Reason#INVALID_RECORD}) naming the field that
     *     is missing or malformed and the shape expected
     */
    public static PreferencePair pair(JsonNode record) {
        if (record == null || !record.isObject()) {
            throw invalid("a preference record must be a JSON object, got "
                    + (record == null ? "nothing" : record.getNodeType()));
        }
        if (!record.hasNonNull("chosen") || !record.hasNonNull("rejected")) {
            List<String> fields = new ArrayList<>();
            record.fieldNames().forEachRemaining(fields::add);
            throw invalid("a preference record needs \"chosen\" and \"rejected\" (and usually \"prompt\"); this one"
                    + " has " + fields + (record.has("output") || record.has("messages")
                    ? " — it looks like an SFT record; use method sft for it" : ""));
        }
        List<Message> prompt;
        String chosen;
        String rejected;
        if (record.hasNonNull("prompt")) {
            prompt = prompt(record.get("prompt"));
            chosen = answer(record.get("chosen"), "chosen");
            rejected = answer(record.get("rejected"), "rejected");
        } else {
            List<Message> c = turns(record.get("chosen"), "chosen");
            List<Message> r = turns(record.get("rejected"), "rejected");
            requireAssistantLast(c, "chosen");
            requireAssistantLast(r, "rejected");
            prompt = c.subList(0, c.size() - 1);
            if (prompt.isEmpty() || !prompt.equals(r.subList(0, r.size() - 1))) {
                throw invalid("without \"prompt\", \"chosen\" and \"rejected\" must be conversations that share every"
                        + " turn before the final assistant answer (the implicit prompt); they share "
                        + commonPrefix(c, r) + " of " + (c.size() - 1) + " and " + (r.size() - 1)
                        + " turns — add a \"prompt\" field");
            }
            chosen = c.get(c.size() - 1).content();
            rejected = r.get(r.size() - 1).content();
        }
        prompt = withSystem(record, prompt);
        if ("assistant".equals(prompt.get(prompt.size() - 1).role())) {
            throw invalid("the prompt ends with an assistant turn; it must end where the answer starts (a user turn)");
        }
        if (chosen.equals(rejected)) {
            throw invalid("\"chosen\" and \"rejected\" are the same text, so there is nothing to prefer; drop the"
                    + " record or fix one of the answers");
        }
        return new PreferencePair(prompt, chosen, rejected);
    }

    private static List<Message> prompt(JsonNode node) {
        if (node.isTextual()) {
            return List.of(Message.user(node.asText()));
        }
        List<Message> turns = turns(node, "prompt");
        if (turns.isEmpty()) {
            throw invalid("\"prompt\" must be a string or a non-empty list of {role, content} turns");
        }
        return turns;
    }

    /** A string, or a list holding exactly one assistant turn. */
    private static String answer(JsonNode node, String field) {
        if (node.isTextual()) {
            return node.asText();
        }
        List<Message> turns = turns(node, field);
        if (turns.size() != 1 || !"assistant".equals(turns.get(0).role())) {
            throw invalid("with a \"prompt\", \"" + field + "\" must be a string or a list of exactly one assistant"
                    + " turn; got " + turns.size() + " turn(s)" + (turns.isEmpty() ? "" : " ending with role '"
                    + turns.get(turns.size() - 1).role() + "'"));
        }
        return turns.get(0).content();
    }

    private static List<Message> turns(JsonNode node, String field) {
        if (!node.isArray()) {
            throw invalid("\"" + field + "\" must be a string or a list of {role, content} turns, got "
                    + node.getNodeType());
        }
        List<Message> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode turn = node.get(i);
            JsonNode role = turn.get("role");
            if (role == null || !role.isTextual() || role.asText().isBlank()) {
                throw invalid(field + "[" + i + "] needs a non-blank string \"role\"");
            }
            out.add(new Message(role.asText(), content(turn.get("content"), field + "[" + i + "].content")));
        }
        return out;
    }

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

    private static void requireAssistantLast(List<Message> turns, String field) {
        if (turns.size() < 2 || !"assistant".equals(turns.get(turns.size() - 1).role())) {
            throw invalid("without \"prompt\", \"" + field + "\" must be a conversation of at least two turns ending"
                    + " with the assistant's answer; got " + turns.size() + " turn(s)");
        }
    }

    private static int commonPrefix(List<Message> a, List<Message> b) {
        int n = 0;
        while (n < a.size() - 1 && n < b.size() - 1 && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }

    private static List<Message> withSystem(JsonNode record, List<Message> prompt) {
        JsonNode system = record.get("system");
        if (system == null || system.isNull()) {
            return prompt;
        }
        if (!system.isTextual()) {
            throw invalid("\"system\" must be a string, got " + system.getNodeType());
        }
        if (system.asText().isBlank() || "system".equals(prompt.get(0).role())) {
            return prompt;
        }
        List<Message> out = new ArrayList<>(prompt.size() + 1);
        out.add(Message.system(system.asText()));
        out.addAll(prompt);
        return out;
    }

    private static RecordRejectedException invalid(String message) {
        return new RecordRejectedException(RecordRejectedException.Reason.INVALID_RECORD, message);
    }
}
