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

/**
 * The per-block absmax values of an NF4 tensor, quantized again (QLoRA's double quantization,
 * bitsandbytes' {@code compress_statistics=True}):
 * <pre>
 * offset  = mean(absmax)                                     f32, one per tensor
 * c       = absmax − offset                                  (nBlocks)
 * codes, scales = blockwise dynamic 8-bit quantization of c  codes (nBlocks) u8, scales (nBlocks / 256) f32
 * absmax̂  = dynamic[codes] · scales[i / 256] + offset
 * </pre>
 * Subtracting the mean centres the (all positive) absmax values so the symmetric 8-bit code is used
 * on both signs. 1 byte per 64 weights instead of 4, so base weights take ≈ 0.516 bytes/parameter.
 * The mean is computed in double and rounded to f32 (bitsandbytes takes torch's f32 mean: within an
 * ulp).
 */
public final class DoubleQuantizedAbsmax implements AutoCloseable {

    private final int count;           // nBlocks of the NF4 tensor
    private final int blockSize;       // absmax values per scale
    private final float offsetValue;
    private final NDArray codes;       // (count) u8
    private final NDArray scales;      // (ceil(count / blockSize)) f32
    private final NDArray offset;      // () f32

    private DoubleQuantizedAbsmax(int count, int blockSize, float offsetValue, NDArray codes, NDArray scales,
                                  NDArray offset) {
        this.count = count;
        this.blockSize = blockSize;
        this.offsetValue = offsetValue;
        this.codes = codes;
        this.scales = scales;
        this.offset = offset;
    }

    /**
     * Quantizes absmax values; the arrays are created on {@code manager}.
     *
     * @param absmax (nBlocks) the first-level scales, finite
     * @param blockSize values per second-level block (QLoRA: 256)
     */
    public static DoubleQuantizedAbsmax quantize(float[] absmax, int blockSize, NDManager manager) {
        double sum = 0;
        for (float a : absmax) {
            sum += a;
        }
        float offset = absmax.length == 0 ? 0f : (float) (sum / absmax.length);
        float[] centred = new float[absmax.length];
        for (int i = 0; i < absmax.length; i++) {
            centred[i] = absmax[i] - offset;
        }
        Nf4Codec.Int8Blocks q = Nf4Codec.quantizeDynamic8(centred, blockSize);
        NDArray codes = manager.create(ByteBuffer.wrap(q.codes()), new Shape(absmax.length), DataType.UINT8);
        NDArray scales = manager.create(q.absmax(), new Shape(q.absmax().length));
        NDArray off = manager.create(offset);
        return new DoubleQuantizedAbsmax(absmax.length, blockSize, offset, codes, scales, off);
    }

    /**
     * The absmax values on the device: {@code dynamic[codes] · scales + offset}.
     *
     * @param scope owner of the result and of the intermediates
     * @return (count) f32
     */
    public NDArray dequantize(NDManager scope, CodeTables tables) {
        int groups = Nf4Codec.blocks(count, blockSize);
        long padded = (long) groups * blockSize;
        NDArray idx = own(scope, codes.toType(DataType.INT64, false));                              // (count)
        NDArray values = own(scope, idx.getNDArrayInternal().embedding(idx, tables.dynamic(), SparseFormat.DENSE)
                .singletonOrThrow()).reshape(count);                                                   // (count)
        if (padded != count) {
            values = NDArrays.concat(new NDList(values, scope.zeros(new Shape(padded - count), DataType.FLOAT32,
                    codes.getDevice())));                                                           // (padded)
        }
        NDArray out = values.reshape(groups, blockSize).mul(own(scope, scales.reshape(groups, 1)))    // (groups, bs)
                .reshape(padded);                                                                     // (padded)
        if (padded != count) {
            out = out.get(new NDIndex("0:" + count));                                                  // (count)
        }
        return out.add(offset);                                                                        // (count)
    }

    /** The same values computed in Java (reference for tests, and for writing checkpoints). */
    public float[] dequantizeToArray() {
        byte[] c = codes.toByteArray();
        float[] s = scales.toFloatArray();
        float[] out = Nf4Codec.dequantizeDynamic8(c, s, blockSize);
        for (int i = 0; i < out.length; i++) {
            out[i] += offsetValue;
        }
        return out;
    }

    private static NDArray own(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    /** Bytes of the stored arrays: codes, scales and the offset. */
    public long storedBytes() {
        return bytes(codes) + bytes(scales) + bytes(offset);
    }

    static long bytes(NDArray a) {
        return a.getShape().size() * a.getDataType().getNumOfBytes();
    }

    /** Number of absmax values. */
    public int count() {
        return count;
    }

    /** Absmax values per second-level block. */
    public int blockSize() {
        return blockSize;
    }

    /** The mean subtracted before quantizing. */
    public float offset() {
        return offsetValue;
    }

    /** (count) u8 dynamic-map codes. */
    public NDArray codes() {
        return codes;
    }

    /** (ceil(count / blockSize)) f32 second-level absmax. */
    public NDArray scales() {
        return scales;
    }

    @Override
    public void close() {
        codes.close();
        scales.close();
        offset.close();
    }
}
