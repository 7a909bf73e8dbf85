package io.tuneforge.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the side-by-side samples of an evaluation from the store. Each line of {@code samples.jsonl} is a JSON
 * object; the fields read are
 * <pre>
 * prompt     string, or chat messages [{"role", "content"}]   (also: messages, input, instruction)
 * reference  string                                           (also: expected, target, output)
 * base       string, or {"output": ...}                       (also: baseOutput, base_output)
 * tuned      string, or {"output": ...}                       (also: tunedOutput, tuned_output)
 * metrics    object of per-sample scores, nested objects flattened to "rougeL.base"
 * </pre>
 * Lines that are not JSON objects are skipped; other fields are ignored.
 */
@ApplicationScoped
public class EvaluationSamples {

    private final BucketStores stores;

    public EvaluationSamples(BucketStores stores) {
        this.stores = stores;
    }

    /**
     * The first {@code limit} samples.
     *
     * @throws ProblemException 503 when the store cannot be read
     */
    public List<EvaluationSample> read(String samplesUri, int limit) {
        S3Uri uri = S3Uri.parse(samplesUri);
        List<EvaluationSample> samples = new ArrayList<>();
        try (InputStream in = stores.forBucket(uri.bucket()).get(uri.key());
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int index = 0;
            while (samples.size() < limit && (line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                EvaluationSample sample = parse(index++, line);
                if (sample != null) {
                    samples.add(sample);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw ProblemException.unavailable("The samples at " + uri + " could not be read (" + e.getMessage()
                    + ")");
        }
        return samples;
    }

    static EvaluationSample parse(int index, String line) {
        JsonNode o;
        try {
            o = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (o == null || !o.isObject()) {
            return null;
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        flatten("", o.path("metrics"), metrics);
        return new EvaluationSample(index, text(first(o, "prompt", "messages", "input", "instruction")),
                text(first(o, "reference", "expected", "target", "output")),
                text(first(o, "base", "baseOutput", "base_output")),
                text(first(o, "tuned", "tunedOutput", "tuned_output")), metrics);
    }

    private static JsonNode first(JsonNode o, String... names) {
        for (String name : names) {
            JsonNode v = o.get(name);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    /** Strings as they are; chat messages as "role: content" lines; {"output": ...} or {"text": ...} unwrapped. */
    private static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonNode m : v) {
                if (s.length() > 0) {
                    s.append('\n');
                }
                s.append(m.isObject() ? m.path("role").asText("?") + ": " + m.path("content").asText("") : text(m));
            }
            return s.toString();
        }
        if (v.isObject()) {
            JsonNode inner = first(v, "output", "text", "content");
            return inner != null ? text(inner) : v.toString();
        }
        return v.asText();
    }

    private static void flatten(String prefix, JsonNode v, Map<String, String> out) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return;
        }
        if (v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!prefix.isEmpty()) {
            out.put(prefix, v.isNumber() ? String.format(Locale.ROOT, "%.4g", v.asDouble()) : v.asText());
        }
    }
}
