package io.tuneforge.dataprep;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.read.InputContainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pipeline settings from a JSON-like map, as {@code DatasetImportRequested.settings} carries them. Keys are the
 * {@link PipelineSettings} component names that make sense remotely: {@code format} ("auto", "instruction",
 * "conversation", "preference"), {@code inputType} ("auto", "jsonl", "json", "csv"), {@code columnMapping} (object),
 * {@code detectionSample}, {@code maxRecordBytes}, {@code stripHtml}, {@code redactPii}, {@code maxTokens},
 * {@code exactDedup}, {@code nearDedup}, {@code nearDupThreshold}, {@code shingleSize}, {@code numPermutations},
 * {@code evalRatio}, {@code evalCount}, {@code seed}, {@code stratifyBySource}, {@code convertTo}. Every bad key or
 * value is reported at once.
 */
public final class PipelineSettingsMap {

    public static final Set<String> KEYS = Set.of("format", "inputType", "columnMapping", "detectionSample",
            "maxRecordBytes", "stripHtml", "redactPii", "maxTokens", "exactDedup", "nearDedup", "nearDupThreshold",
            "shingleSize", "numPermutations", "evalRatio", "evalCount", "seed", "stratifyBySource", "convertTo");

    private PipelineSettingsMap() {
    }

    /**
     * {@code base} with the values of {@code settings} applied (null or empty = {@code base} unchanged).
     *
     * @throws IllegalArgumentException naming every unknown key and every bad value
     */
    public static PipelineSettings fromMap(Map<String, ?> settings, PipelineSettings base) {
        if (settings == null || settings.isEmpty()) {
            return base;
        }
        PipelineSettings.Builder b = base.toBuilder();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            try {
                switch (key) {
                    case "format" -> b.format("auto".equalsIgnoreCase(text(v)) ? null : DatasetFormat.fromWire(text(v)));
                    case "inputType" -> b.inputType(InputContainer.fromWire(text(v)));
                    case "columnMapping" -> b.columnMapping(mapping(v));
                    case "detectionSample" -> b.detectionSample(integer(v));
                    case "maxRecordBytes" -> b.maxRecordBytes(longValue(v));
                    case "stripHtml" -> b.stripHtml(bool(v));
                    case "redactPii" -> b.redactPii(bool(v));
                    case "maxTokens" -> b.maxTokens(v == null ? null : integer(v));
                    case "exactDedup" -> b.exactDedup(bool(v));
                    case "nearDedup" -> b.nearDedup(bool(v));
                    case "nearDupThreshold" -> b.nearDupThreshold(number(v));
                    case "shingleSize" -> b.shingleSize(integer(v));
                    case "numPermutations" -> b.numPermutations(integer(v));
                    case "evalRatio" -> b.evalRatio(number(v));
                    case "evalCount" -> b.evalCount(v == null ? null : integer(v));
                    case "seed" -> b.seed(longValue(v));
                    case "stratifyBySource" -> b.stratifyBySource(bool(v));
                    case "convertTo" -> b.convertTo(v == null || "none".equalsIgnoreCase(text(v)) ? null
                            : DatasetFormat.fromWire(text(v)));
                    default -> errors.add("unknown setting '" + key + "'" + suggestion(key) + "; known settings: "
                            + new TreeSet<>(KEYS));
                }
            } catch (IllegalArgumentException ex) {
                errors.add(key + ": " + ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid pipeline settings: " + String.join("; ", errors));
        }
        return b.build();
    }

    private static String suggestion(String key) {
        for (String k : KEYS) {
            if (k.equalsIgnoreCase(key) || k.toLowerCase(Locale.ROOT).startsWith(key.toLowerCase(Locale.ROOT))) {
                return "; did you mean '" + k + "'?";
            }
        }
        return "";
    }

    private static String text(Object v) {
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("expected a string, got " + v);
        }
        return s;
    }

    private static boolean bool(Object v) {
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("expected true or false, got " + v);
        }
        return b;
    }

    private static double number(Object v) {
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("expected a number, got " + v);
        }
        return n.doubleValue();
    }

    private static long longValue(Object v) {
        double d = number(v);
        if (d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
            throw new IllegalArgumentException("expected a whole number, got " + v);
        }
        return (long) d;
    }

    private static int integer(Object v) {
        long l = longValue(v);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected a whole number below 2^31, got " + v);
        }
        return (int) l;
    }

    private static Map<String, String> mapping(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected an object of column name → field name, got " + v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), text(val)));
        return out;
    }
}
