package io.tuneforge.tuning.export.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file as {@link GgufReader} read it: header, typed metadata and tensor infos. Tensor data
 * stays on disk until {@link #readFloats} maps and decodes one tensor.
 *
 * @param path the file
 * @param version GGUF version (3)
 * @param metadata entries in file order
 * @param tensors tensor infos in file order
 * @param dataStart absolute offset of the data section
 * @param fileBytes size of the file
 */
public record GgufFile(Path path, int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors,
                       long dataStart, long fileBytes) {

    public GgufFile {
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The metadata value of {@code key}; throws naming the key when absent. */
    public GgufValue get(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metadata '" + key + "' is not in " + path);
        }
        return v;
    }

    /** The tensor info named {@code name}; throws naming it when absent. */
    public GgufTensorInfo tensor(String name) {
        for (GgufTensorInfo t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("tensor '" + name + "' is not in " + path + " (" + tensors.size()
                + " tensors)");
    }

    /** Elements over all tensors. */
    public long parameterCount() {
        return tensors.stream().mapToLong(GgufTensorInfo::elementCount).sum();
    }

    /**
     * Decodes one tensor to f32, row-major in {@link GgufTensorInfo#shape()} order (PyTorch order).
     *
     * @throws IllegalArgumentException when its type is not one of {@link GgufType} or it exceeds a Java array
     */
    public float[] readFloats(String name) {
        GgufTensorInfo t = tensor(name);
        if (t.type() == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + t.typeLabel()
                    + "; only f32, f16, q8_0 and q4_0 are decoded here");
        }
        if (t.elementCount() > Integer.MAX_VALUE - 8 || t.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + t.elementCount()
                    + " elements: too large for one Java array");
        }
        float[] out = new float[(int) t.elementCount()];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + t.offset(), t.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
            GgufCodec.decode(t.type(), data, out, 0, out.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor '" + name + "' from " + path + ": " + e.getMessage(), e);
        }
        return out;
    }
}
