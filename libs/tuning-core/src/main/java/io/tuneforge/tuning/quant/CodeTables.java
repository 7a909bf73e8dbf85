package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The code books as f32 arrays on one device, shared by every quantized tensor there (3 KiB in
 * all, not counted in a tensor's {@link Nf4Tensor#storedBytes()}):
 * <ul>
 *   <li>{@link #pairs()} (256, 2): row {@code b} = the NF4 values of packed byte {@code b}'s high and
 *       low nibble ({@link NormalFloat4#pairTable()}), so an {@code embedding} lookup by the packed
 *       byte decodes two weights at once — the fastest dequantization DJL offers (no bitwise ops);</li>
 *   <li>{@link #dynamic()} (256, 1): the {@link DynamicMap} values, for double-quantized absmax codes.</li>
 * </ul>
 */
public final class CodeTables implements AutoCloseable {

    private final NDArray pairs;   // (256, 2) f32
    private final NDArray dynamic; // (256, 1) f32

    private CodeTables(NDArray pairs, NDArray dynamic) {
        this.pairs = pairs;
        this.dynamic = dynamic;
    }

    /** Creates the tables on {@code manager}'s device, owned by it. */
    public static CodeTables create(NDManager manager) {
        NDArray pairs = manager.create(NormalFloat4.pairTable(), new Shape(256, 2));        // (256, 2)
        NDArray dynamic = manager.create(DynamicMap.values(), new Shape(DynamicMap.SIZE, 1)); // (256, 1)
        return new CodeTables(pairs, dynamic);
    }

    /** (256, 2) f32: NF4 values of a packed byte's two codes, high nibble first. */
    public NDArray pairs() {
        return pairs;
    }

    /** (256, 1) f32: the dynamic 8-bit map. */
    public NDArray dynamic() {
        return dynamic;
    }

    @Override
    public void close() {
        pairs.close();
        dynamic.close();
    }
}
