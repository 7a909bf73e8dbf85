package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.ChatRecords;
import io.tuneforge.tuning.data.RecordRejectedException;

import java.util.ArrayList;
import java.util.List;

/**
 * Dataset records → {@link EvalExample}s.
 *
 * <ul>
 *   <li>Instruction, conversation and ShareGPT records ({@link ChatRecords}): the last turn must be
 *       the assistant's; it is the reference, the turns before it the prompt.</li>
 *   <li>Preference records ({@code prompt} string or messages, optional {@code system},
 *       {@code chosen}, {@code rejected}): the chosen answer is the reference.</li>
 * </ul>
 */
public final class EvalExamples {

    private EvalExamples() {
    }

    /**
     * @throws IllegalArgumentException naming the line and what is wrong with the record
     */
    public static EvalExample parse(JsonNode record, long line) {
        if (record != null && record.isObject() && (record.has("chosen") || record.has("rejected"))) {
            return preference(record, line);
        }
        List<Message> turns;
        try {
            turns = ChatRecords.messages(record);
        } catch (RecordRejectedException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        }
        Message last = turns.get(turns.size() - 1);
        if (!"assistant".equals(last.role()) || turns.size() < 2) {
            throw new IllegalArgumentException("line " + line + ": the last turn must be the assistant's answer to"
                    + " compare outputs with, after at least one prompt turn; got " + turns.size() + " turn(s) ending"
                    + " with role '" + last.role() + "'");
        }
        return new EvalExample(line, turns.subList(0, turns.size() - 1), last.content(), null);
    }

    private static EvalExample preference(JsonNode record, long line) {
        String chosen = text(record, "chosen", line);
        String rejected = text(record, "rejected", line);
        JsonNode prompt = record.get("prompt");
        List<Message> turns = new ArrayList<>();
        JsonNode system = record.get("system");
        if (prompt != null && prompt.isTextual()) {
            if (system != null && system.isTextual() && !system.asText().isBlank()) {
                turns.add(Message.system(system.asText()));
            }
            turns.add(Message.user(prompt.asText()));
        } else if (prompt != null && prompt.isArray() && !prompt.isEmpty()) {
            for (JsonNode turn : prompt) {
                if (!turn.path("role").isTextual() || !turn.path("content").isTextual()) {
                    throw new IllegalArgumentException("line " + line + ": prompt turns must be {\"role\": string,"
                            + " \"content\": string}, got " + turn);
                }
                turns.add(new Message(turn.get("role").asText(), turn.get("content").asText()));
            }
        } else {
            throw new IllegalArgumentException("line " + line + ": a preference record needs \"prompt\" as a string"
                    + " or a non-empty array of messages");
        }
        return new EvalExample(line, turns, chosen, rejected);
    }

    private static String text(JsonNode record, String field, long line) {
        JsonNode node = record.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("line " + line + ": a preference record needs a string \"" + field
                    + "\"");
        }
        return node.asText();
    }
}
