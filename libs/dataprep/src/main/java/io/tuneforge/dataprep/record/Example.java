package io.tuneforge.dataprep.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * One dataset record in canonical form: one of the contract records ({@link InstructionRecord},
 * {@link ConversationRecord}, {@link PreferenceRecord}) plus the optional {@code source} label used for stratified
 * splits. A preference prompt given as messages is held as an array of {@code {role, content}} objects.
 *
 * <p>Text fields are addressed by canonical paths: {@code instruction}, {@code input}, {@code output},
 * {@code system}, {@code messages[i].content}, {@code prompt}, {@code prompt[i].content}, {@code chosen},
 * {@code rejected}.
 *
 * @param format the record's format; matches the type of {@code record}
 * @param record the contract record
 * @param source the record's {@code source} label, or null
 */
public record Example(DatasetFormat format, Record record, String source) {

    public Example {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(record, "record");
        boolean matches = switch (format) {
            case INSTRUCTION -> record instanceof InstructionRecord;
            case CONVERSATION -> record instanceof ConversationRecord;
            case PREFERENCE -> record instanceof PreferenceRecord;
        };
        if (!matches) {
            throw new IllegalArgumentException("format " + format.wireName() + " does not match record type "
                    + record.getClass().getSimpleName());
        }
    }

    public static Example of(InstructionRecord r, String source) {
        return new Example(DatasetFormat.INSTRUCTION, r, source);
    }

    public static Example of(ConversationRecord r, String source) {
        return new Example(DatasetFormat.CONVERSATION, r, source);
    }

    public static Example of(PreferenceRecord r, String source) {
        return new Example(DatasetFormat.PREFERENCE, r, source);
    }

    /** One text field: canonical path and text. */
    public record Text(String path, String text) {
    }

    /** Every non-null text field in canonical order (the order of the output JSON). */
    public List<Text> texts() {
        List<Text> out = new ArrayList<>();
        mapTexts((path, text) -> {
            out.add(new Text(path, text));
            return text;
        });
        return out;
    }

    /**
     * The same record with every non-null text replaced by {@code fn(path, text)}; roles, structure and the source
     * label are kept. Returns {@code this} when nothing changed.
     */
    public Example mapTexts(BinaryOperator<String> fn) {
        Record mapped;
        if (record instanceof InstructionRecord r) {
            mapped = new InstructionRecord(apply(fn, "instruction", r.instruction()), apply(fn, "input", r.input()),
                    apply(fn, "output", r.output()), apply(fn, "system", r.system()));
        } else if (record instanceof ConversationRecord r) {
            mapped = new ConversationRecord(mapMessages(fn, "messages", r.messages()));
        } else {
            PreferenceRecord r = (PreferenceRecord) record;
            JsonNode prompt = r.prompt();
            JsonNode newPrompt;
            if (prompt != null && prompt.isTextual()) {
                newPrompt = TextNode.valueOf(fn.apply("prompt", prompt.asText()));
            } else if (prompt != null && prompt.isArray()) {
                newPrompt = messagesNode(mapMessages(fn, "prompt", messagesOf(prompt)));
            } else {
                newPrompt = prompt;
            }
            mapped = new PreferenceRecord(newPrompt, apply(fn, "chosen", r.chosen()),
                    apply(fn, "rejected", r.rejected()), apply(fn, "system", r.system()));
        }
        return mapped.equals(record) ? this : new Example(format, mapped, source);
    }

    private static String apply(BinaryOperator<String> fn, String path, String text) {
        return text == null ? null : fn.apply(path, text);
    }

    private static List<ChatMessage> mapMessages(BinaryOperator<String> fn, String field, List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            out.add(new ChatMessage(m.role(), apply(fn, field + "[" + i + "].content", m.content())));
        }
        return out;
    }

    /** The messages of a prompt array made by {@link #messagesNode}. */
    public static List<ChatMessage> messagesOf(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>(array.size());
        for (JsonNode m : array) {
            out.add(new ChatMessage(m.path("role").asText(null), m.path("content").asText(null)));
        }
        return out;
    }

    /** A JSON array of {@code {"role", "content"}} objects, in that field order. */
    public static ArrayNode messagesNode(List<ChatMessage> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(messages.size());
        for (ChatMessage m : messages) {
            ObjectNode o = array.addObject();
            o.put("role", m.role());
            o.put("content", m.content());
        }
        return array;
    }

    /** This record with another source label. */
    public Example withSource(String newSource) {
        return new Example(format, record, newSource);
    }
}
