package io.tuneforge.tuning.export.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One typed metadata value of a GGUF file.
 *
 * <p>{@code value} is a {@link Long} for the integer types (unsigned ones hold their unsigned value
 * where it fits), {@link Double} for FLOAT32/FLOAT64, {@link Boolean}, {@link String}, or for ARRAY
 * an unmodifiable {@link List} of such values, all of {@code elementType}.
 *
 * @param type the stored type
 * @param elementType the element type of an ARRAY, else null
 * @param value the value, never null
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType must be given for ARRAY values only; got " + type
                    + " with elementType " + elementType);
        }
        if (type == GgufValueType.ARRAY) {
            value = List.copyOf((List<?>) value);
        }
    }

    public static GgufValue string(String s) {
        return new GgufValue(GgufValueType.STRING, null, s);
    }

    public static GgufValue uint32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("value " + v + " does not fit a GGUF uint32");
        }
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue int32(long v) {
        return new GgufValue(GgufValueType.INT32, null, (long) Math.toIntExact(v));
    }

    public static GgufValue float32(double v) {
        return new GgufValue(GgufValueType.FLOAT32, null, (double) (float) v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue array(GgufValueType elementType, List<?> values) {
        return new GgufValue(GgufValueType.ARRAY, elementType, values);
    }

    /** The value as a long (integer types), throwing naming the type otherwise. */
    public long asLong() {
        if (value instanceof Long l) {
            return l;
        }
        throw new IllegalStateException("value of type " + type + " is not an integer");
    }

    /** The value as a double (float or integer types). */
    public double asDouble() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException("value of type " + type + " is not a number");
    }

    /** The value as a string (STRING only). */
    public String asString() {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalStateException("value of type " + type + " is not a string");
    }

    /** The elements of an ARRAY. */
    public List<?> asList() {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalStateException("value of type " + type + " is not an array");
    }
}
