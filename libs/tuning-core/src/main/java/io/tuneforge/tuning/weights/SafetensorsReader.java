package io.tuneforge.tuning.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads safetensors checkpoints — one file, or shards listed by {@code model.safetensors.index.json} —
 * through memory maps, without loading whole files.
 *
 * <p>Format: 8-byte little-endian header length N, N bytes of JSON header
 * ({@code name → {dtype, shape, data_offsets:[begin,end]}} plus optional {@code __metadata__}), then
 * the raw little-endian data; offsets are relative to the end of the header.
 *
 * <p>{@link #read} turns a tensor into an NDArray of the compute type: every float dtype (F32, F16,
 * BF16) is widened to f32 in Java (PyTorch's CPU build aborts on bf16 tensors), copied into a tensor
 * that PyTorch owns, and then cast on the device when the compute type is narrower (bf16 on GPU).
 * Integer tensors (I64, U8) keep their type. Big tensors go through in row chunks of
 * {@value #CHUNK_BYTES} bytes, so Java never holds more than one chunk.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** File name of a single-file checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** File name of the shard index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    static final int CHUNK_BYTES = 64 << 20;
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final Map<Path, FileChannel> channels;
    private ByteBuffer staging;

    private SafetensorsReader(Path source, Map<String, TensorInfo> tensors, Map<String, String> metadata,
                              Map<Path, FileChannel> channels) {
        this.source = source;
        this.tensors = tensors;
        this.metadata = metadata;
        this.channels = channels;
    }

    /**
     * Opens a checkpoint: a {@code .safetensors} file, an index file, or a directory holding
     * {@value #INDEX_FILE} or {@value #SINGLE_FILE}.
     */
    public static SafetensorsReader open(Path path) {
        Path p = path;
        if (Files.isDirectory(p)) {
            if (Files.exists(p.resolve(INDEX_FILE))) {
                p = p.resolve(INDEX_FILE);
            } else if (Files.exists(p.resolve(SINGLE_FILE))) {
                p = p.resolve(SINGLE_FILE);
            } else {
                throw new IllegalArgumentException("no weights in " + path + ": expected " + SINGLE_FILE
                        + " or " + INDEX_FILE);
            }
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("weights file " + p + " does not exist");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            if (p.getFileName().toString().endsWith(".json")) {
                openSharded(p, tensors, metadata, channels);
            } else {
                readHeader(p, channel(p, channels), tensors, metadata);
            }
        } catch (IOException | RuntimeException e) {
            channels.values().forEach(SafetensorsReader::closeQuietly);
            if (e instanceof IOException) {
                throw new UncheckedIOException("cannot read safetensors " + p + ": " + e.getMessage(),
                        (IOException) e);
            }
            throw (RuntimeException) e;
        }
        return new SafetensorsReader(p, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata),
                channels);
    }

    private static void openSharded(Path index, Map<String, TensorInfo> tensors, Map<String, String> metadata,
                                    Map<Path, FileChannel> channels) throws IOException {
        JsonNode root = JSON.readTree(index.toFile());
        JsonNode weightMap = root.path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new IllegalArgumentException(index + " has no \"weight_map\" object mapping tensor names to shard files");
        }
        Map<String, TensorInfo> byShard = new LinkedHashMap<>();
        Set<Path> shards = new TreeSet<>();
        weightMap.fields().forEachRemaining(e -> shards.add(index.resolveSibling(e.getValue().asText())));
        for (Path shard : shards) {
            if (!Files.isRegularFile(shard)) {
                throw new IllegalArgumentException(index + " names shard " + shard.getFileName()
                        + " which does not exist");
            }
            readHeader(shard, channel(shard, channels), byShard, metadata);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TensorInfo info = byShard.get(e.getKey());
            Path shard = index.resolveSibling(e.getValue().asText());
            if (info == null || !info.file().equals(shard)) {
                throw new IllegalArgumentException(index + " maps '" + e.getKey() + "' to " + shard.getFileName()
                        + " but that shard does not hold it");
            }
            tensors.put(e.getKey(), info);
        }
    }

    private static FileChannel channel(Path file, Map<Path, FileChannel> channels) throws IOException {
        FileChannel c = channels.get(file);
        if (c == null) {
            c = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, c);
        }
        return c;
    }

    private static void readHeader(Path file, FileChannel channel, Map<String, TensorInfo> tensors,
                                   Map<String, String> metadata) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new IllegalArgumentException(file + " is " + size + " bytes: too short for a safetensors file");
        }
        ByteBuffer lenBuf = channel.map(FileChannel.MapMode.READ_ONLY, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lenBuf.getLong(0);
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
            throw new IllegalArgumentException(file + " declares a header of " + headerLength + " bytes in a "
                    + size + "-byte file: not a safetensors file");
        }
        ByteBuffer headerBuf = channel.map(FileChannel.MapMode.READ_ONLY, 8, headerLength);
        byte[] headerBytes = new byte[(int) headerLength];
        headerBuf.get(headerBytes);
        JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode t = e.getValue();
            if (name.equals("__metadata__")) {
                t.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            SafetensorsDtype dtype = SafetensorsDtype.parse(t.path("dtype").asText(), name);
            JsonNode shapeNode = t.path("shape");
            long[] dims = new long[shapeNode.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shapeNode.get(i).asLong();
            }
            Shape shape = new Shape(dims);
            JsonNode offsets = t.path("data_offsets");
            long begin = offsets.path(0).asLong(-1);
            long end = offsets.path(1).asLong(-1);
            long expected = shape.size() * dtype.bytes();
            if (begin < 0 || end < begin || end > dataSize || end - begin != expected) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has data_offsets " + offsets
                        + " but " + dtype + " " + shape + " needs " + expected + " bytes within the "
                        + dataSize + "-byte data section");
            }
            tensors.put(name, new TensorInfo(name, dtype, shape, file, dataStart + begin, expected));
        }
    }

    /** Tensor names, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(tensors.keySet()));
    }

    /** True when the checkpoint holds {@code name}. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Header entry of one tensor; throws naming the tensor when absent. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is not in " + source + " ("
                    + tensors.size() + " tensors)");
        }
        return info;
    }

    /** The {@code __metadata__} entries (merged over shards). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads a tensor with floats as f32 (integers keep their type). */
    public NDArray read(String name, NDManager manager) {
        return read(name, manager, DataType.FLOAT32);
    }

    /**
     * Reads a tensor onto {@code manager}'s device.
     *
     * @param computeType type for floating tensors (FLOAT32, FLOAT16, or BFLOAT16 on a GPU manager)
     * @return an array owned by {@code manager}
     */
    public NDArray read(String name, NDManager manager, DataType computeType) {
        return read(name, manager, computeType, CHUNK_BYTES);
    }

    /** {@link #read(String, NDManager, DataType)} with a chosen chunk size (tests use small ones). */
    NDArray read(String name, NDManager manager, DataType computeType, int chunkBytes) {
        TensorInfo t = info(name);
        DataType target = t.dtype().isFloating() ? computeType : t.dtype().djlType();
        if (computeType == DataType.BFLOAT16 && !manager.getDevice().isGpu()) {
            throw new IllegalArgumentException("reading '" + name + "' as BFLOAT16 on " + manager.getDevice()
                    + " is refused: PyTorch's CPU build aborts the JVM on bf16 tensors; use FLOAT32 on CPU");
        }
        DataType staged = t.dtype().isFloating() ? DataType.FLOAT32 : t.dtype().djlType();
        Shape shape = t.shape();
        long rows = shape.dimension() == 0 ? 1 : shape.get(0);
        long rowElements = rows == 0 ? 0 : shape.size() / rows;
        long rowBytes = Math.max(1, rowElements * staged.getNumOfBytes());
        if (rowBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' " + shape + " has rows of " + rowBytes
                    + " bytes; rows above 2 GiB cannot be read");
        }
        long rowsPerChunk = Math.max(1, chunkBytes / rowBytes);
        if (rows <= rowsPerChunk) {
            return readRows(t, manager, staged, target, 0, rows, shape);
        }
        NDArray out = manager.create(shape, target);
        for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
            long r1 = Math.min(rows, r0 + rowsPerChunk);
            long[] dims = shape.getShape().clone();
            dims[0] = r1 - r0;
            try (NDArray chunk = readRows(t, manager, staged, target, r0, r1, new Shape(dims))) {
                out.set(new NDIndex("{}:{}", r0, r1), chunk);
            }
        }
        return out;
    }

    /** Reads rows [r0, r1) of a tensor as an array PyTorch owns (not backed by Java memory). */
    private NDArray readRows(TensorInfo t, NDManager manager, DataType staged, DataType target, long r0, long r1,
                             Shape chunkShape) {
        long elements = chunkShape.size();
        long rowElements = r1 == r0 ? 0 : elements / (r1 - r0);
        long srcOffset = t.dataOffset() + r0 * rowElements * t.dtype().bytes();
        long srcBytes = elements * t.dtype().bytes();
        ByteBuffer dst = staging((int) (elements * staged.getNumOfBytes()));
        if (elements > 0) {
            ByteBuffer src = map(t, srcOffset, srcBytes);
            convert(t.dtype(), src, dst, (int) elements);
            dst.rewind();
        }
        NDArray blob = manager.create(dst, chunkShape, staged);
        NDArray owned;
        if (target != staged) {
            owned = blob.toType(target, true);
        } else if (manager.getDevice().isGpu()) {
            return blob; // DJL copies host buffers to the GPU itself
        } else {
            owned = blob.duplicate(); // the blob still points at our staging buffer
        }
        blob.close();
        return owned;
    }

    /** Reads a floating tensor into Java as f32 (for tools and tests; small tensors only). */
    public float[] readFloats(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype() + ", not a float type");
        }
        if (t.elementCount() * 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' " + t.shape() + " is too large for a Java array");
        }
        int n = (int) t.elementCount();
        ByteBuffer dst = ByteBuffer.allocate(n * 4).order(ByteOrder.nativeOrder());
        if (n > 0) {
            convert(t.dtype(), map(t, t.dataOffset(), t.byteLength()), dst, n);
        }
        float[] out = new float[n];
        dst.asFloatBuffer().get(out);
        return out;
    }

    /** The raw stored bytes of a tensor (little-endian, as in the file). */
    public byte[] readRaw(String name) {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' is too large for a Java array");
        }
        byte[] out = new byte[(int) t.byteLength()];
        if (out.length > 0) {
            map(t, t.dataOffset(), t.byteLength()).get(out);
        }
        return out;
    }

    private ByteBuffer map(TensorInfo t, long offset, long length) {
        try {
            return channels.get(t.file()).map(FileChannel.MapMode.READ_ONLY, offset, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map tensor '" + t.name() + "' in " + t.file() + ": "
                    + e.getMessage(), e);
        }
    }

    private ByteBuffer staging(int bytes) {
        if (staging == null || staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(Math.max(bytes, 1 << 16)).order(ByteOrder.nativeOrder());
        }
        ByteBuffer b = staging.duplicate().order(ByteOrder.nativeOrder());
        b.clear().limit(bytes);
        return b.slice().order(ByteOrder.nativeOrder());
    }

    /** Little-endian source → native-order staging: floats widened to f32, integers copied. */
    private static void convert(SafetensorsDtype dtype, ByteBuffer src, ByteBuffer dst, int n) {
        switch (dtype) {
            case F32:
                dst.asFloatBuffer().put(src.asFloatBuffer());
                break;
            case BF16: {
                var in = src.asShortBuffer();
                var out = dst.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, (in.get(i) & 0xffff) << 16);
                }
                break;
            }
            case F16: {
                var in = src.asShortBuffer();
                var out = dst.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, FloatBits.f16ToFloat(in.get(i)));
                }
                break;
            }
            case I64:
                dst.asLongBuffer().put(src.asLongBuffer());
                break;
            case U8:
                dst.put(src);
                break;
            default:
                throw new IllegalStateException("unhandled dtype " + dtype);
        }
    }

    @Override
    public void close() {
        channels.values().forEach(SafetensorsReader::closeQuietly);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to flush
        }
    }
}
