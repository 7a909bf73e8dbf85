package io.tuneforge.tuning.export.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a GGUF v3 file: header, typed metadata, tensor infos, then the tensor data, each tensor
 * starting at a multiple of {@code general.alignment} (32) from the start of the data section.
 *
 * <p>Layout (all little-endian): magic {@code GGUF}, version u32 = 3, tensor count u64, metadata
 * count u64; each metadata entry = key string, value type u32, value (strings are u64 length +
 * UTF-8, arrays are element type u32 + count u64 + elements); each tensor info = name, n_dims u32,
 * dims u64 × n (innermost first), ggml type u32, offset u64; padding to the alignment; data.
 *
 * <p>Tensor values are pulled from their suppliers one tensor at a time while writing, so only one
 * tensor's floats are in memory at once.
 */
public final class GgufWriter {

    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    public static final int VERSION = 3;
    public static final int ALIGNMENT = 32;

    private static final int CHUNK_ELEMENTS = 1 << 16; // a multiple of every block size

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();

    private record Pending(GgufTensorInfo info, Supplier<float[]> values) {
    }

    /** Sets a metadata entry (replacing one with the same key). */
    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    /** The metadata set so far. */
    public Map<String, GgufValue> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Adds a tensor.
     *
     * @param shape outermost first (PyTorch order), e.g. {@code [out, in]}
     * @param values row-major values, {@code product(shape)} of them, produced when the data is written
     */
    public GgufWriter addTensor(String name, long[] shape, GgufType type, Supplier<float[]> values) {
        if (tensors.stream().anyMatch(t -> t.info.name().equals(name))) {
            throw new IllegalArgumentException("tensor '" + name + "' is added twice");
        }
        long[] dims = new long[shape.length];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
            elements *= shape[i];
        }
        long rowLength = dims.length == 0 ? 1 : dims[0];
        long bytes;
        try {
            bytes = type.byteSize(elements, rowLength);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
        long offset = 0;
        if (!tensors.isEmpty()) {
            GgufTensorInfo last = tensors.get(tensors.size() - 1).info;
            offset = align(last.offset() + last.byteSize());
        }
        tensors.add(new Pending(new GgufTensorInfo(name, dims, type.ggmlId(), type, offset, bytes), values));
        return this;
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensorInfos() {
        return tensors.stream().map(Pending::info).toList();
    }

    /**
     * Writes the file (replacing it) through {@code <file>.part}, renamed when complete, so a failed export never
     * leaves a truncated GGUF under the final name; returns its size in bytes.
     */
    public long write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            long size = writeTo(part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return size;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private long writeTo(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Sink out = new Sink(ch);
            out.u32(MAGIC).u32(VERSION).u64(tensors.size()).u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type().id());
                writeValue(out, e.getKey(), e.getValue().type(), e.getValue().elementType(), e.getValue().value());
            }
            for (Pending p : tensors) {
                GgufTensorInfo t = p.info;
                out.string(t.name()).u32(t.dims().length);
                for (long d : t.dims()) {
                    out.u64(d);
                }
                out.u32(t.ggmlType()).u64(t.offset());
            }
            out.pad();
            long dataStart = out.position();
            for (Pending p : tensors) {
                GgufTensorInfo t = p.info;
                out.pad();
                if (out.position() - dataStart != t.offset()) {
                    throw new IllegalStateException("tensor '" + t.name() + "' lands at " + (out.position() - dataStart)
                            + " instead of its declared offset " + t.offset());
                }
                float[] values = p.values.get();
                if (values.length != t.elementCount()) {
                    throw new IllegalArgumentException("tensor '" + t.name() + "' " + Arrays.toString(
                            t.shape()) + " needs " + t.elementCount() + " values but its source gave " + values.length);
                }
                for (int i = 0; i < values.length; i += CHUNK_ELEMENTS) {
                    int n = Math.min(CHUNK_ELEMENTS, values.length - i);
                    GgufCodec.encode(t.type(), values, i, n, out.room(n / t.type().blockElements()
                            * t.type().blockBytes()));
                }
            }
            out.flush();
            return out.position();
        }
    }

    private static void writeValue(Sink out, String key, GgufValueType type, GgufValueType elementType, Object v) {
        switch (type) {
            case UINT8, INT8 -> out.room(1).put((byte) ((Long) v).longValue());
            case UINT16, INT16 -> out.room(2).putShort((short) ((Long) v).longValue());
            case UINT32, INT32 -> out.u32((int) ((Long) v).longValue());
            case UINT64, INT64 -> out.u64((Long) v);
            case FLOAT32 -> out.room(4).putFloat(((Number) v).floatValue());
            case FLOAT64 -> out.room(8).putDouble(((Number) v).doubleValue());
            case BOOL -> out.room(1).put((byte) (((Boolean) v) ? 1 : 0));
            case STRING -> out.string((String) v);
            case ARRAY -> {
                List<?> list = (List<?>) v;
                out.u32(elementType.id()).u64(list.size());
                for (Object element : list) {
                    writeValue(out, key, elementType, null, element);
                }
            }
            default -> throw new IllegalArgumentException("metadata '" + key + "': unhandled type " + type);
        }
    }

    static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A little-endian buffered writer over a channel. */
    private static final class Sink {
        private final FileChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long flushed;

        Sink(FileChannel channel) {
            this.channel = channel;
        }

        /** The buffer, with at least {@code bytes} free. */
        ByteBuffer room(int bytes) {
            if (buf.remaining() < bytes) {
                flush();
            }
            if (buf.remaining() < bytes) {
                throw new IllegalStateException(bytes + " bytes do not fit the write buffer");
            }
            return buf;
        }

        Sink u32(int v) {
            room(4).putInt(v);
            return this;
        }

        Sink u64(long v) {
            room(8).putLong(v);
            return this;
        }

        Sink string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            for (int i = 0; i < b.length; i += buf.capacity()) {
                int n = Math.min(buf.capacity(), b.length - i);
                room(n).put(b, i, n);
            }
            return this;
        }

        long position() {
            return flushed + buf.position();
        }

        /** Zero bytes up to the next multiple of {@link #ALIGNMENT}. */
        void pad() {
            long pad = align(position()) - position();
            room((int) pad).put(new byte[(int) pad]);
        }

        void flush() {
            buf.flip();
            try {
                while (buf.hasRemaining()) {
                    flushed += channel.write(buf);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write GGUF data: " + e.getMessage(), e);
            }
            buf.clear();
        }
    }
}
