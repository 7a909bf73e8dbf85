package io.tuneforge.tuning.export.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF file.
 *
 * @param name llama.cpp tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims ggml order: {@code dims[0]} is the row length (innermost), so a Hugging Face (out, in)
 *     weight has dims {@code [in, out]}
 * @param ggmlType the stored {@code ggml_type} number
 * @param type the matching {@link GgufType}, or null for a type this project does not decode (e.g. Q4_K)
 * @param offset byte offset of the data, relative to the start of the data section
 * @param byteSize bytes of data, or -1 when the type is unknown here
 */
public record GgufTensorInfo(String name, long[] dims, int ggmlType, GgufType type, long offset, long byteSize) {

    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The shape outermost first (Hugging Face / PyTorch order), e.g. {@code [out, in]}. */
    public long[] shape() {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[dims.length - 1 - i];
        }
        return s;
    }

    /** The type's name: {@code f32}, {@code q8_0}, or {@code ggml#12} for one not decoded here. */
    public String typeLabel() {
        return type != null ? type.label() : GgmlTypes.label(ggmlType);
    }

    @Override
    public String toString() {
        return name + " " + typeLabel() + " " + Arrays.toString(shape());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && Arrays.equals(t.dims, dims)
                && t.ggmlType == ggmlType && t.offset == offset && t.byteSize == byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
