package io.tuneforge.tuning.weights;

import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The safetensors element types this project reads and writes, with their header spelling. */
public enum SafetensorsDtype {
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    BF16(2, DataType.BFLOAT16),
    I64(8, DataType.INT64),
    U8(1, DataType.UINT8);

    private final int bytes;
    private final DataType djlType;

    SafetensorsDtype(int bytes, DataType djlType) {
        this.bytes = bytes;
        this.djlType = djlType;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The matching DJL type. */
    public DataType djlType() {
        return djlType;
    }

    /** True for F32, F16 and BF16. */
    public boolean isFloating() {
        return djlType.isFloating();
    }

    /**
     * Parses a header's {@code dtype}.
     *
     * @throws IllegalArgumentException naming the dtype and the supported ones
     */
    public static SafetensorsDtype parse(String dtype, String tensorName) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(dtype)) {
                return d;
            }
        }
        throw new IllegalArgumentException("tensor '" + tensorName + "' has dtype '" + dtype
                + "'; supported: " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** The safetensors dtype for a DJL type. */
    public static SafetensorsDtype of(DataType type) {
        for (SafetensorsDtype d : values()) {
            if (d.djlType == type) {
                return d;
            }
        }
        throw new IllegalArgumentException("DJL type " + type + " has no safetensors dtype here; supported: "
                + Arrays.stream(values()).map(d -> d.djlType.toString()).collect(Collectors.joining(", ")));
    }
}
