package io.tuneforge.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@link Required} fields a payload lacks. A field is missing when it is absent, JSON {@code null} or a
 * blank string. Nested records are checked where present, their fields named with a dotted path
 * ({@code source.datasetId}).
 */
public final class RequiredFields {

    private RequiredFields() {
    }

    /** The required fields of {@code type} that the JSON object {@code data} lacks, as dotted paths, in declaration order. */
    public static List<String> missing(Class<? extends Record> type, JsonNode data) {
        List<String> out = new ArrayList<>();
        collect(type, data, "", out);
        return out;
    }

    /**
     * The required fields that {@code value} holds no value for (null or blank strings). Primitive components always
     * hold a value and are not reported here; use {@link #missing(Class, JsonNode)} on the JSON to catch absent numbers.
     */
    public static List<String> missing(Record value) {
        List<String> out = new ArrayList<>();
        collect(value, "", out);
        return out;
    }

    /** {@code "TrainingCancelRequested is missing required field 'runId'"}; for several: {@code fields 'a', 'b'}. */
    public static String describe(Class<?> type, List<String> missing) {
        StringBuilder sb = new StringBuilder(type.getSimpleName()).append(" is missing required field")
                .append(missing.size() == 1 ? " " : "s ");
        for (int i = 0; i < missing.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(missing.get(i)).append('\'');
        }
        return sb.toString();
    }

    private static void collect(Class<?> type, JsonNode data, String prefix, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            JsonNode v = data == null ? null : data.get(c.getName());
            boolean absent = v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
            if (absent) {
                if (c.isAnnotationPresent(Required.class)) {
                    out.add(prefix + c.getName());
                }
            } else if (c.getType().isRecord() && v.isObject()) {
                collect(c.getType(), v, prefix + c.getName() + ".", out);
            }
        }
    }

    private static void collect(Record value, String prefix, List<String> out) {
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + value.getClass().getSimpleName() + "." + c.getName(), e);
            }
            boolean absent = v == null || (v instanceof CharSequence s && s.toString().isBlank());
            if (absent) {
                if (c.isAnnotationPresent(Required.class)) {
                    out.add(prefix + c.getName());
                }
            } else if (v instanceof Record nested) {
                collect(nested, prefix + c.getName() + ".", out);
            }
        }
    }
}
