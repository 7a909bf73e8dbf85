package io.tuneforge.tuning.export.gguf;

import java.util.Map;

/**
 * Names and block sizes of the ggml tensor types a GGUF file may hold, so that {@code model inspect}
 * can list files llama.cpp made (k-quants included) although only {@link GgufType} is decoded.
 */
final class GgmlTypes {

    /** ggml_type → {name, elements per block, bytes per block}. */
    private static final Map<Integer, Object[]> TYPES = Map.ofEntries(
            Map.entry(0, new Object[] {"f32", 1, 4}), Map.entry(1, new Object[] {"f16", 1, 2}),
            Map.entry(2, new Object[] {"q4_0", 32, 18}), Map.entry(3, new Object[] {"q4_1", 32, 20}),
            Map.entry(6, new Object[] {"q5_0", 32, 22}), Map.entry(7, new Object[] {"q5_1", 32, 24}),
            Map.entry(8, new Object[] {"q8_0", 32, 34}), Map.entry(9, new Object[] {"q8_1", 32, 36}),
            Map.entry(10, new Object[] {"q2_K", 256, 84}), Map.entry(11, new Object[] {"q3_K", 256, 110}),
            Map.entry(12, new Object[] {"q4_K", 256, 144}), Map.entry(13, new Object[] {"q5_K", 256, 176}),
            Map.entry(14, new Object[] {"q6_K", 256, 210}), Map.entry(15, new Object[] {"q8_K", 256, 292}),
            Map.entry(24, new Object[] {"i8", 1, 1}), Map.entry(25, new Object[] {"i16", 1, 2}),
            Map.entry(26, new Object[] {"i32", 1, 4}), Map.entry(27, new Object[] {"i64", 1, 8}),
            Map.entry(28, new Object[] {"f64", 1, 8}), Map.entry(30, new Object[] {"bf16", 1, 2}));

    private GgmlTypes() {
    }

    static String label(int ggmlType) {
        Object[] t = TYPES.get(ggmlType);
        return t != null ? (String) t[0] : "ggml#" + ggmlType;
    }

    /** Bytes of a tensor of this type, or -1 when the type is not known here. */
    static long byteSize(int ggmlType, long elements) {
        Object[] t = TYPES.get(ggmlType);
        if (t == null) {
            return -1;
        }
        return elements / (Integer) t[1] * (Integer) t[2];
    }
}
