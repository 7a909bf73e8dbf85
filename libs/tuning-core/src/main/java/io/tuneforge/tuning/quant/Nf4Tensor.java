package io.tuneforge.tuning.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A weight stored as NF4 (QLoRA): packed 4-bit codes plus one absmax per block of the flattened
 * weight — kept as f32, or double-quantized ({@link DoubleQuantizedAbsmax}).
 *
 * <pre>
 * codes   (ceil(n / 2))           u8, two codes per byte, first element in the high nibble
 * absmax  (ceil(n / blockSize))   f32                     — or u8 codes + f32 scales + f32 offset
 * W[i]  = NF4[code(i)] · absmax[i / blockSize]             n = number of elements, row-major
 * </pre>
 *
 * <p>Quantization runs in Java ({@link Nf4Codec}, exact and the same on every device); dequantization
 * runs on the arrays' device: an {@code embedding} lookup of the packed bytes (as int64 indices:
 * int32 ones are accepted but measured 2× slower in the lookup here) in the (256, 2) pair table gives
 * two weights per byte, then one multiply by the block's absmax (djl-verified.md: 5–6 ms for
 * 2048×2048 on this CPU, 3–5× faster than nibble arithmetic with {@code take}).
 *
 * <p>Memory: the arrays live in the manager given at quantization; {@link #close()} frees them.
 * {@link #dequantize} puts everything it makes into the caller's scope.
 */
public final class Nf4Tensor implements AutoCloseable {

    private final Shape shape;
    private final long size;
    private final int blockSize;
    private final NDArray codes;                 // (ceil(n / 2)) u8
    private final NDArray absmax;                // (nBlocks) f32, or null with double quantization
    private final DoubleQuantizedAbsmax doubleQuant;
    private final CodeTables tables;

    private Nf4Tensor(Shape shape, int blockSize, NDArray codes, NDArray absmax, DoubleQuantizedAbsmax doubleQuant,
                      CodeTables tables) {
        this.shape = shape;
        this.size = shape.size();
        this.blockSize = blockSize;
        this.codes = codes;
        this.absmax = absmax;
        this.doubleQuant = doubleQuant;
        this.tables = tables;
    }

    /**
     * Quantizes a weight (any float type, any device); the result lives in {@code manager}, on its device.
     *
     * @param tables the code books on {@code manager}'s device
     * @throws IllegalArgumentException when the weight holds NaN/Inf (naming the element)
     */
    public static Nf4Tensor quantize(NDArray weight, QuantizationConfig config, CodeTables tables,
                                     NDManager manager) {
        float[] values;
        if (weight.getDataType() == DataType.FLOAT32) {
            values = weight.toFloatArray();
        } else {
            try (NDArray f32 = weight.toType(DataType.FLOAT32, true)) { // on the weight's device (bf16 on CPU aborts)
                values = f32.toFloatArray();
            }
        }
        return quantize(values, weight.getShape(), config, tables, manager);
    }

    /**
     * Quantizes row-major values of {@code shape}.
     *
     * @throws IllegalArgumentException when the values do not fill the shape or hold NaN/Inf
     */
    public static Nf4Tensor quantize(float[] values, Shape shape, QuantizationConfig config, CodeTables tables,
                                     NDManager manager) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tables, "tables");
        if (shape.size() != values.length || values.length == 0) {
            throw new IllegalArgumentException("cannot quantize " + values.length + " values as shape " + shape
                    + " (" + shape.size() + " elements); give a non-empty array that fills the shape");
        }
        Nf4Codec.Nf4Blocks q = Nf4Codec.quantizeNf4(values, config.blockSize());
        NDArray codes = manager.create(ByteBuffer.wrap(q.packed()), new Shape(q.packed().length), DataType.UINT8);
        try {
            if (config.doubleQuant()) {
                DoubleQuantizedAbsmax dq = DoubleQuantizedAbsmax.quantize(q.absmax(), config.doubleQuantBlockSize(),
                        manager);
                return new Nf4Tensor(shape, config.blockSize(), codes, null, dq, tables);
            }
            NDArray absmax = manager.create(q.absmax(), new Shape(q.absmax().length));
            return new Nf4Tensor(shape, config.blockSize(), codes, absmax, null, tables);
        } catch (RuntimeException e) {
            codes.close();
            throw e;
        }
    }

    /**
     * The weight, dequantized on the arrays' device.
     *
     * @param scope owner of the result and all intermediates (e.g. the caller's step manager)
     * @param type the result type: FLOAT32 (CPU) or BFLOAT16 (GPU); products are taken in f32 and
     *     rounded once
     * @return {@link #shape()} of {@code type}, with no gradient
     */
    public NDArray dequantize(NDManager scope, DataType type) {
        int blocks = Nf4Codec.blocks(size, blockSize);
        long padded = (long) blocks * blockSize;
        // int32 indices (torch's embedding takes int32 or int64): half the bytes of the one per-call temporary
        // besides the weight itself, freed as soon as the pairs are gathered
        NDArray flat;
        try (NDArray idx = codes.toType(DataType.INT32, false)) {                                   // (n/2) int32
            flat = own(scope, idx.getNDArrayInternal().embedding(idx, tables.pairs(), SparseFormat.DENSE)
                    .singletonOrThrow()).reshape(2 * codes.getShape().get(0));                        // (2·ceil(n/2))
        }
        if (flat.getShape().get(0) < padded) {
            flat = NDArrays.concat(new NDList(flat, scope.zeros(new Shape(padded - flat.getShape().get(0)),
                    DataType.FLOAT32, codes.getDevice())));                                            // (padded)
        }
        NDArray scales = absmaxOn(scope).reshape(blocks, 1);                                        // (blocks, 1)
        // in place: the gathered values are this call's own array and need no gradient, so the weight is
        // made in one f32 buffer, not two
        NDArray w = flat.reshape(blocks, blockSize).muli(scales).reshape(padded);                   // (padded)
        if (padded != size) {
            w = w.get(new NDIndex("0:" + size));                                                     // (n)
        }
        w = w.reshape(shape);                                                                        // shape
        return type == DataType.FLOAT32 ? w : w.toType(type, false);
    }

    /** The block absmax values on the device, (nBlocks) f32, owned by {@code scope}. */
    public NDArray absmaxOn(NDManager scope) {
        return doubleQuant != null ? doubleQuant.dequantize(scope, tables) : own(scope, absmax.duplicate());
    }

    /** The weight dequantized in Java, row-major (reference for tests; export). */
    public float[] dequantizeToArray() {
        return Nf4Codec.dequantizeNf4(codes.toByteArray(), absmaxValues(), Math.toIntExact(size), blockSize);
    }

    /** The block absmax values as dequantization uses them (after double quantization when on). */
    public float[] absmaxValues() {
        return doubleQuant != null ? doubleQuant.dequantizeToArray() : absmax.toFloatArray();
    }

    private static NDArray own(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    /** Bytes of the stored arrays (codes, absmax or its double quantization); code tables are shared. */
    public long storedBytes() {
        return DoubleQuantizedAbsmax.bytes(codes)
                + (doubleQuant != null ? doubleQuant.storedBytes() : DoubleQuantizedAbsmax.bytes(absmax));
    }

    /** {@link #storedBytes()} / number of elements. */
    public double bytesPerParameter() {
        return (double) storedBytes() / size;
    }

    /** The dense weight's shape. */
    public Shape shape() {
        return shape;
    }

    /** Number of weights. */
    public long size() {
        return size;
    }

    public int blockSize() {
        return blockSize;
    }

    /** (ceil(n / 2)) u8 packed codes. */
    public NDArray codes() {
        return codes;
    }

    /** (nBlocks) f32 absmax, or null when double-quantized ({@link #doubleQuantized()}). */
    public NDArray absmax() {
        return absmax;
    }

    /** The double-quantized absmax, or null. */
    public DoubleQuantizedAbsmax doubleQuantized() {
        return doubleQuant;
    }

    @Override
    public void close() {
        codes.close();
        if (absmax != null) {
            absmax.close();
        }
        if (doubleQuant != null) {
            doubleQuant.close();
        }
    }
}
