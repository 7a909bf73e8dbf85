package io.tuneforge.dataprep.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tuneforge.dataprep.format.RecordMapper;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.util.List;

/**
 * Parses a JSONL line or a JSON array element. Strict: one JSON value and nothing after it, no repeated keys in an
 * object (which value was meant is unknowable).
 */
public final class JsonRecordParser implements RecordParser {

    /** The reader's mapper: strict duplicates, trailing tokens fail. Thread-safe. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public JsonNode parse(String text, List<Reason> reasons, JsonNode[] parsedOut) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            reasons.add(Reason.whole(ReasonCode.INVALID_JSON, "not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage())));
            return null;
        }
        if (node == null || node.isMissingNode()) {
            reasons.add(Reason.whole(ReasonCode.INVALID_JSON, "no JSON value"));
            return null;
        }
        parsedOut[0] = node;
        if (!node.isObject()) {
            reasons.add(Reason.whole(ReasonCode.NOT_AN_OBJECT, "expected a JSON object per record, got "
                    + RecordMapper.describe(node)));
            return null;
        }
        return node;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String s = nl < 0 ? message : message.substring(0, nl);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
