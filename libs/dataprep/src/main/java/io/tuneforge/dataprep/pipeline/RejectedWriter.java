package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.dataprep.sink.DigestingOutputStream;
import io.tuneforge.dataprep.validate.Reason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Writes {@code rejected.jsonl}, one line per rejected input record, in input order:
 * {@code {"line": n, "reasons": [{"code", "path"?, "message"}], "record": <parsed JSON or text>, "keptLine": m?}}
 * ({@code keptLine}: the kept record a duplicate was dropped for).
 */
final class RejectedWriter {

    private final DigestingOutputStream out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

    RejectedWriter(DigestingOutputStream out) {
        this.out = out;
    }

    void write(long line, List<Reason> reasons, JsonNode record, Long keptLine) throws IOException {
        buffer.reset();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(buffer)) {
            g.writeStartObject();
            g.writeNumberField("line", line);
            g.writeArrayFieldStart("reasons");
            for (Reason r : reasons) {
                g.writeStartObject();
                g.writeStringField("code", r.code().wireName());
                if (r.path() != null) {
                    g.writeStringField("path", r.path());
                }
                g.writeStringField("message", r.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("record");
            g.writeTree(record);
            if (keptLine != null) {
                g.writeNumberField("keptLine", keptLine);
            }
            g.writeEndObject();
        }
        out.writeLine(buffer.toByteArray());
    }
}
