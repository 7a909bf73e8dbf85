package io.tuneforge.dataprep.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.dataset.record.ChatMessage;
import io.tuneforge.contracts.dataset.record.ConversationRecord;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.dataset.record.PreferenceRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one way records are written: compact JSON on one line, UTF-8 (CJK text stays readable, not {@code \\u}-escaped),
 * fields in a fixed order, no nulls and no empty optional fields.
 * <pre>
 * instruction   {"instruction", "input"?, "output", "system"?, "source"?}
 * conversation  {"messages": [{"role", "content"}, ...], "source"?}
 * preference    {"prompt": text or [{"role", "content"}, ...], "chosen", "rejected", "system"?, "source"?}
 * </pre>
 * The same record always gives the same bytes; that is what makes splits and digests reproducible.
 */
public final class CanonicalJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private CanonicalJson() {
    }

    /** The record as one canonical JSON line (without the newline), with its source label. */
    public static byte[] write(Example example) {
        return write(example, true);
    }

    /** The record as canonical JSON; {@code withSource=false} leaves the source label out (for content hashes). */
    public static byte[] write(Example example, boolean withSource) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (example.record() instanceof InstructionRecord r) {
                g.writeStringField("instruction", r.instruction());
                optional(g, "input", r.input());
                g.writeStringField("output", r.output());
                optional(g, "system", r.system());
            } else if (example.record() instanceof ConversationRecord r) {
                g.writeFieldName("messages");
                messages(g, r.messages());
            } else {
                PreferenceRecord r = (PreferenceRecord) example.record();
                JsonNode prompt = r.prompt();
                if (prompt.isArray()) {
                    g.writeFieldName("prompt");
                    messages(g, Example.messagesOf(prompt));
                } else {
                    g.writeStringField("prompt", prompt.asText());
                }
                g.writeStringField("chosen", r.chosen());
                g.writeStringField("rejected", r.rejected());
                optional(g, "system", r.system());
            }
            if (withSource) {
                optional(g, "source", example.source());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a record as JSON", e);
        }
        return out.toByteArray();
    }

    private static void messages(JsonGenerator g, List<ChatMessage> messages) throws IOException {
        g.writeStartArray();
        for (ChatMessage m : messages) {
            g.writeStartObject();
            g.writeStringField("role", m.role());
            g.writeStringField("content", m.content());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }
}
