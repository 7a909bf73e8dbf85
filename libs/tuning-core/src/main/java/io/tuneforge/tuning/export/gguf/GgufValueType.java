package io.tuneforge.tuning.export.gguf;

/** Metadata value types of GGUF ({@code gguf_type}), with their numbers as stored in the file. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, -1),
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int bytes;

    GgufValueType(int id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /** The number stored in the file. */
    public int id() {
        return id;
    }

    /** Bytes of one value, or -1 for STRING and ARRAY (variable). */
    public int bytes() {
        return bytes;
    }

    /** The type with this number; throws naming it when unknown. */
    public static GgufValueType of(int id, String key) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("metadata '" + key + "' has value type " + id
                + "; GGUF v3 defines 0..12");
    }
}
