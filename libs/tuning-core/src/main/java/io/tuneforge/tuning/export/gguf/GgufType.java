package io.tuneforge.tuning.export.gguf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Tensor element types of a GGUF file (ggml's {@code ggml_type}) that this project writes and reads.
 *
 * <p>Block layouts, as ggml's reference code ({@code ggml-quants.c}) defines them:
 * <ul>
 *   <li>{@code F32}, {@code F16}: one little-endian value per element.</li>
 *   <li>{@code Q8_0}: blocks of 32 elements = f16 scale d + 32 int8 q; x ≈ q·d (34 bytes).</li>
 *   <li>{@code Q4_0}: blocks of 32 elements = f16 scale d + 16 bytes of nibbles; element j is the low
 *       nibble of byte j, element j+16 the high nibble; x ≈ (q − 8)·d (18 bytes).</li>
 * </ul>
 */
public enum GgufType {
    F32(0, 1, 4, 0),
    F16(1, 1, 2, 1),
    Q4_0(2, 32, 18, 2),
    Q8_0(8, 32, 34, 7);

    private final int ggmlId;
    private final int blockElements;
    private final int blockBytes;
    private final int fileType;

    GgufType(int ggmlId, int blockElements, int blockBytes, int fileType) {
        this.ggmlId = ggmlId;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
        this.fileType = fileType;
    }

    /** The {@code ggml_type} number stored in a tensor info. */
    public int ggmlId() {
        return ggmlId;
    }

    /** Elements per block (1 for plain floats, 32 for the quantized types). */
    public int blockElements() {
        return blockElements;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** {@code general.file_type} (llama.cpp's {@code llama_ftype}) of a file whose big tensors have this type. */
    public int fileType() {
        return fileType;
    }

    /** True for the block-quantized types. */
    public boolean quantized() {
        return blockElements > 1;
    }

    /** The lower-case spelling used on command lines and in file names ({@code q8_0}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Bytes of a tensor with {@code elements} elements whose rows have {@code rowLength} elements.
     *
     * @throws IllegalArgumentException when a row is not a whole number of blocks
     */
    public long byteSize(long elements, long rowLength) {
        if (rowLength % blockElements != 0) {
            throw new IllegalArgumentException("rows of " + rowLength + " elements cannot be stored as " + this
                    + ": the row length must be a multiple of " + blockElements);
        }
        return elements / blockElements * blockBytes;
    }

    /**
     * Parses {@code f32}, {@code f16}, {@code q8_0} or {@code q4_0} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the supported ones
     */
    public static GgufType parse(String value) {
        for (GgufType t : values()) {
            if (t.label().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("GGUF type '" + value + "' is not supported; use one of "
                + Arrays.stream(values()).map(GgufType::label).collect(Collectors.joining(", ")));
    }

    /** The type with this {@code ggml_type} number. */
    public static GgufType ofGgmlId(int id) {
        for (GgufType t : values()) {
            if (t.ggmlId == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("ggml type " + id + " is not one this reader decodes ("
                + Arrays.stream(values()).map(t -> t.label() + "=" + t.ggmlId).collect(Collectors.joining(", "))
                + ")");
    }
}
