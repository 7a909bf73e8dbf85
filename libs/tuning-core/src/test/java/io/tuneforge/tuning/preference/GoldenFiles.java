package io.tuneforge.tuning.preference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading {@code golden/preference/*.json} and comparing within 1e-4 relative. */
final class GoldenFiles {

    static final double RELATIVE = 1e-4;

    private GoldenFiles() {
    }

    static JsonNode read(String name) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/preference/" + name)) {
            assertNotNull(in, "golden/preference/" + name + " is missing; see its README for the command");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /** Each row of a JSON array of arrays, flattened. */
    static long[] longRows(JsonNode rows) {
        int width = rows.get(0).size();
        long[] out = new long[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(width, rows.get(r).size(), "golden rows must have one width");
            for (int t = 0; t < width; t++) {
                out[r * width + t] = rows.get(r).get(t).asLong();
            }
        }
        return out;
    }

    static Map<String, Double> metrics(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    /** Values within 1e-4 relative of the expected ones (absolute 1e-6 near zero). */
    static void assertClose(JsonNode expected, float[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            double e = expected.get(i).asDouble();
            assertEquals(e, actual[i], Math.max(1e-6, RELATIVE * Math.abs(e)), what + "[" + i + "]");
        }
    }

    /** Every expected metric is present and within 1e-4 relative (absolute 1e-6 near zero). */
    static void assertMetrics(Map<String, Double> expected, Map<String, Double> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": metric names (TRL's)");
        expected.forEach((name, e) -> assertEquals(e, actual.get(name), Math.max(1e-6, RELATIVE * Math.abs(e)),
                what + " metric " + name));
    }

    /**
     * A gradient within 1e-4 of the reference, relative to the reference's largest entry: max|g − g_ref| ≤ 1e-4 ·
     * max|g_ref|. The reference must not be all zero (the check would be empty).
     */
    static void assertGradient(JsonNode expected, float[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": length");
        double scale = 0;
        for (JsonNode v : expected) {
            scale = Math.max(scale, Math.abs(v.asDouble()));
        }
        assertTrue(scale > 0, what + ": the reference gradient is all zero, so it checks nothing");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected.get(i).asDouble());
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= RELATIVE * scale, what + ": max |difference| " + worst + " at " + at + " (expected "
                + (at < 0 ? "-" : expected.get(at).asDouble() + ", got " + actual[at]) + ") exceeds 1e-4 × " + scale);
    }
}
