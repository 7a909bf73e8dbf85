package io.tuneforge.tuning.export.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header, metadata and tensor infos of a GGUF v2/v3 file (little-endian) — the layout
 * {@link GgufWriter} writes and llama.cpp reads. Every length and offset is checked against the file
 * size, so a truncated or foreign file fails with the offset and what was expected there.
 */
public final class GgufReader {

    private static final long MAX_STRING = 1L << 30;

    private GgufReader() {
    }

    /** Reads {@code file}'s header, metadata and tensor infos (tensor data is read on request). */
    public static GgufFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Source in = new Source(ch, file);
            int magic = in.u32();
            if (magic != GgufWriter.MAGIC) {
                throw new IllegalArgumentException(file + " starts with 0x" + Integer.toHexString(magic)
                        + ", not the GGUF magic 0x" + Integer.toHexString(GgufWriter.MAGIC) + " (\"GGUF\")");
            }
            int version = in.u32();
            if (version < 2 || version > 3) {
                throw new IllegalArgumentException(file + " is GGUF version " + version + "; versions 2 and 3 are read");
            }
            long tensorCount = in.u64();
            long kvCount = in.u64();
            if (tensorCount < 0 || kvCount < 0 || tensorCount > size || kvCount > size) {
                throw new IllegalArgumentException(file + " declares " + tensorCount + " tensors and " + kvCount
                        + " metadata entries in a " + size + "-byte file: not a valid GGUF file");
            }
            Map<String, GgufValue> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = in.string();
                GgufValueType type = GgufValueType.of(in.u32(), key);
                metadata.put(key, readValue(in, key, type));
            }
            long alignment = metadata.containsKey("general.alignment")
                    ? metadata.get("general.alignment").asLong() : GgufWriter.ALIGNMENT;
            List<GgufTensorInfo> tensors = new ArrayList<>();
            for (long i = 0; i < tensorCount; i++) {
                String name = in.string();
                int nDims = in.u32();
                if (nDims < 0 || nDims > 4) {
                    throw new IllegalArgumentException(file + ": tensor '" + name + "' has " + nDims
                            + " dimensions; ggml allows 1 to 4");
                }
                long[] dims = new long[nDims];
                long elements = 1;
                for (int d = 0; d < nDims; d++) {
                    dims[d] = in.u64();
                    elements *= dims[d];
                }
                int ggmlType = in.u32();
                long offset = in.u64();
                GgufType type = null;
                for (GgufType t : GgufType.values()) {
                    if (t.ggmlId() == ggmlType) {
                        type = t;
                    }
                }
                tensors.add(new GgufTensorInfo(name, dims, ggmlType, type, offset,
                        GgmlTypes.byteSize(ggmlType, elements)));
            }
            long dataStart = (in.position() + alignment - 1) / alignment * alignment;
            for (GgufTensorInfo t : tensors) {
                if (t.offset() % alignment != 0 || t.byteSize() >= 0 && dataStart + t.offset() + t.byteSize() > size) {
                    throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' at data offset " + t.offset()
                            + " with " + t.byteSize() + " bytes does not lie, aligned to " + alignment + ", within the "
                            + (size - dataStart) + "-byte data section (truncated file?)");
                }
            }
            return new GgufFile(file, version, metadata, tensors, dataStart, size);
        }
    }

    private static GgufValue readValue(Source in, String key, GgufValueType type) throws IOException {
        if (type == GgufValueType.ARRAY) {
            GgufValueType elementType = GgufValueType.of(in.u32(), key);
            long count = in.u64();
            if (elementType == GgufValueType.ARRAY || count < 0 || count > in.remaining()) {
                throw new IllegalArgumentException(in.file + ": metadata '" + key + "' is an array of " + count
                        + " " + elementType + " values, which cannot fit the rest of the file");
            }
            List<Object> values = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                values.add(readValue(in, key, elementType).value());
            }
            return GgufValue.array(elementType, values);
        }
        Object v = switch (type) {
            case UINT8 -> (long) (in.bytes(1).get() & 0xff);
            case INT8 -> (long) in.bytes(1).get();
            case UINT16 -> (long) (in.bytes(2).getShort() & 0xffff);
            case INT16 -> (long) in.bytes(2).getShort();
            case UINT32 -> in.u32() & 0xffffffffL;
            case INT32 -> (long) in.u32();
            case UINT64, INT64 -> in.u64();
            case FLOAT32 -> (double) in.bytes(4).getFloat();
            case FLOAT64 -> in.bytes(8).getDouble();
            case BOOL -> in.bytes(1).get() != 0;
            case STRING -> in.string();
            default -> throw new IllegalStateException("unhandled type " + type);
        };
        return new GgufValue(type, null, v);
    }

    /** A little-endian reader over a channel, through a sliding window. */
    private static final class Source {
        private final FileChannel channel;
        private final Path file;
        private final ByteBuffer window = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long windowStart;

        Source(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
            window.limit(0);
        }

        long position() {
            return windowStart + window.position();
        }

        long remaining() throws IOException {
            return channel.size() - position();
        }

        /** The window with at least {@code n} readable bytes. */
        ByteBuffer bytes(int n) throws IOException {
            if (window.remaining() < n) {
                long pos = position();
                window.clear();
                int read = 0;
                while (read < n) {
                    int r = channel.read(window, pos + read);
                    if (r < 0) {
                        throw new IllegalArgumentException(file + " ends at byte " + (pos + read) + " while " + n
                                + " more bytes were expected (truncated GGUF header)");
                    }
                    read += r;
                }
                window.flip();
                windowStart = pos;
            }
            return window;
        }

        int u32() throws IOException {
            return bytes(4).getInt();
        }

        long u64() throws IOException {
            return bytes(8).getLong();
        }

        String string() throws IOException {
            long len = u64();
            if (len < 0 || len > MAX_STRING || len > remaining()) {
                throw new IllegalArgumentException(file + ": a string at byte " + (position() - 8) + " claims "
                        + len + " bytes; the file has " + remaining() + " left");
            }
            byte[] b = new byte[(int) len];
            int done = 0;
            while (done < b.length) {
                int n = Math.min(window.capacity(), b.length - done);
                bytes(n).get(b, done, n);
                done += n;
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
