package io.tuneforge.tuning.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a safetensors file the way Hugging Face's {@code safetensors} does: tensors ordered by
 * element size (largest first) then name, so every tensor starts at a multiple of its element size;
 * the JSON header padded with spaces so the data section starts 8-byte aligned; an optional
 * {@code __metadata__} of string pairs.
 *
 * <p>Tensors are added first (their data is produced only while writing, one at a time), then
 * {@link #write} streams the file to a temporary sibling and moves it into place, so readers never
 * see a half-written file. f32 sources may be stored as F32, F16 or BF16 (round to nearest even,
 * done in Java; see {@link FloatBits}).
 */
public final class SafetensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(String name, SafetensorsDtype dtype, Shape shape, Supplier<Object> data) {
        long bytes() {
            return shape.size() * dtype.bytes();
        }
    }

    /** Adds a {@code __metadata__} entry (e.g. {@code format = pt}). */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds f32 values to be stored as {@code storeAs} (F32, F16 or BF16). */
    public SafetensorsWriter addFloats(String name, Shape shape, float[] data, SafetensorsDtype storeAs) {
        checkLength(name, shape, data.length);
        return addFloats(name, shape, () -> data, storeAs);
    }

    /** Adds f32 values produced only when the file is written (keeps one tensor in memory at a time). */
    public SafetensorsWriter addFloats(String name, Shape shape, Supplier<float[]> data, SafetensorsDtype storeAs) {
        if (!storeAs.isFloating()) {
            throw new IllegalArgumentException("tensor '" + name + "': float data cannot be stored as " + storeAs
                    + "; use F32, F16 or BF16");
        }
        return add(new Entry(name, storeAs, shape, data::get));
    }

    /** Adds I64 values. */
    public SafetensorsWriter addLongs(String name, Shape shape, long[] data) {
        checkLength(name, shape, data.length);
        return add(new Entry(name, SafetensorsDtype.I64, shape, () -> data));
    }

    /** Adds U8 values. */
    public SafetensorsWriter addBytes(String name, Shape shape, byte[] data) {
        checkLength(name, shape, data.length);
        return add(new Entry(name, SafetensorsDtype.U8, shape, () -> data));
    }

    /**
     * Adds an NDArray, read when the file is written: floating arrays are stored as {@code storeAs}
     * (F32, F16 or BF16), INT64 as I64, UINT8 as U8 ({@code storeAs} must then match).
     */
    public SafetensorsWriter add(String name, NDArray array, SafetensorsDtype storeAs) {
        DataType type = array.getDataType();
        Shape shape = array.getShape();
        if (type.isFloating()) {
            return addFloats(name, shape, () -> {
                if (type == DataType.FLOAT32) {
                    return array.toFloatArray();
                }
                try (NDArray f32 = array.toType(DataType.FLOAT32, true)) {
                    return f32.toFloatArray();
                }
            }, storeAs);
        }
        if (type == DataType.INT64 && storeAs == SafetensorsDtype.I64) {
            return add(new Entry(name, storeAs, shape, array::toLongArray));
        }
        if (type == DataType.UINT8 && storeAs == SafetensorsDtype.U8) {
            return add(new Entry(name, storeAs, shape, array::toByteArray));
        }
        throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " cannot be stored as "
                + storeAs + "; floats → F32/F16/BF16, INT64 → I64, UINT8 → U8");
    }

    private SafetensorsWriter add(Entry e) {
        if (e.name().equals("__metadata__") || e.name().isEmpty()) {
            throw new IllegalArgumentException("'" + e.name() + "' is not a valid tensor name");
        }
        if (entries.putIfAbsent(e.name(), e) != null) {
            throw new IllegalArgumentException("tensor '" + e.name() + "' was added twice");
        }
        return this;
    }

    private static void checkLength(String name, Shape shape, int length) {
        if (shape.size() != length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + shape + " (" + shape.size()
                    + " elements) but " + length + " values were given");
        }
    }

    /** Writes the file (atomically replacing {@code file}). */
    public void write(Path file) {
        List<Entry> ordered = new ArrayList<>(entries.values());
        ordered.sort(Comparator.comparingInt((Entry e) -> -e.dtype().bytes()).thenComparing(Entry::name));
        byte[] header = header(ordered);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, len);
                writeFully(out, ByteBuffer.wrap(header));
                for (Entry e : ordered) {
                    writeData(out, e);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write safetensors " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private byte[] header(List<Entry> ordered) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : ordered) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape().getShape()) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.bytes();
            offsets.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise safetensors header", ex);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeData(FileChannel out, Entry e) throws IOException {
        Object data = e.data().get();
        long n = e.shape().size();
        int length = data instanceof float[] ? ((float[]) data).length
                : data instanceof long[] ? ((long[]) data).length : ((byte[]) data).length;
        if (length != n) {
            throw new IllegalStateException("tensor '" + e.name() + "' has shape " + e.shape() + " but its data has "
                    + length + " values");
        }
        if (e.dtype() == SafetensorsDtype.U8) {
            writeFully(out, ByteBuffer.wrap((byte[]) data));
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_ELEMENTS * e.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < length; start += CHUNK_ELEMENTS) {
            int end = Math.min(length, start + CHUNK_ELEMENTS);
            buf.clear();
            for (int i = start; i < end; i++) {
                switch (e.dtype()) {
                    case F32:
                        buf.putFloat(((float[]) data)[i]);
                        break;
                    case BF16:
                        buf.putShort(FloatBits.floatToBf16(((float[]) data)[i]));
                        break;
                    case F16:
                        buf.putShort(FloatBits.floatToF16(((float[]) data)[i]));
                        break;
                    case I64:
                        buf.putLong(((long[]) data)[i]);
                        break;
                    default:
                        throw new IllegalStateException("unhandled dtype " + e.dtype());
                }
            }
            buf.flip();
            writeFully(out, buf);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }
}
