package io.tuneforge.tuning.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer → reader round trips for every dtype, NDArray sources, sharded checkpoints, chunked reads. */
class SafetensorsRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        return out;
    }

    @Test
    void everyDtypeRoundTripsWithHuggingFaceLayout() throws IOException {
        float[] f = randomFloats(6 * 7, 1);
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40};
        byte[] bytes = {0, 1, (byte) 127, (byte) 128, (byte) 255};
        Path file = dir.resolve("all.safetensors");
        new SafetensorsWriter()
                .putMetadata("format", "pt")
                .addBytes("u8", new Shape(5), bytes)
                .addFloats("f32", new Shape(6, 7), f, SafetensorsDtype.F32)
                .addFloats("f16", new Shape(6, 7), f, SafetensorsDtype.F16)
                .addFloats("bf16", new Shape(6, 7), f, SafetensorsDtype.BF16)
                .addLongs("i64", new Shape(2, 3), longs)
                .write(file);

        byte[] raw = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + headerLength) % 8, "data section must start 8-byte aligned");
        JsonNode header = JSON.readTree(new String(raw, 8, (int) headerLength, StandardCharsets.UTF_8));
        assertEquals("pt", header.get("__metadata__").get("format").asText());
        assertEquals(0, header.get("i64").get("data_offsets").get(0).asLong(), "largest element type first");
        for (String name : new String[] {"f32", "f16", "bf16", "i64", "u8"}) {
            long begin = header.get(name).get("data_offsets").get(0).asLong();
            int size = SafetensorsDtype.parse(header.get(name).get("dtype").asText(), name).bytes();
            assertEquals(0, begin % size, name + " must start at a multiple of its element size");
        }

        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(f, r.read("f32", manager).toFloatArray(), 0f);
            float[] f16 = r.read("f16", manager).toFloatArray();
            float[] bf16 = r.read("bf16", manager).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                assertEquals(FloatBits.f16ToFloat(FloatBits.floatToF16(f[i])), f16[i], 0f);
                assertEquals(FloatBits.bf16ToFloat(FloatBits.floatToBf16(f[i])), bf16[i], 0f);
                assertEquals(f[i], bf16[i], Math.abs(f[i]) / 256, "bf16 keeps 8 significant bits");
            }
            assertArrayEquals(longs, r.read("i64", manager).toLongArray());
            assertEquals(new Shape(2, 3), r.info("i64").shape());
            assertArrayEquals(bytes, r.read("u8", manager).toByteArray());
        }
    }

    @Test
    void ndArraysRoundTripIncludingF16Compute() {
        NDArray f32 = manager.create(randomFloats(24, 2), new Shape(2, 3, 4));
        NDArray ids = manager.create(new long[] {5, -6, 7});
        NDArray u8 = manager.create(new byte[] {1, (byte) 200}, new Shape(2)).toType(DataType.UINT8, false);
        Path file = dir.resolve("nd.safetensors");
        new SafetensorsWriter()
                .add("w", f32, SafetensorsDtype.F32)
                .add("ids", ids, SafetensorsDtype.I64)
                .add("u8", u8, SafetensorsDtype.U8)
                .write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            NDArray w = r.read("w", manager);
            assertEquals(f32.getShape(), w.getShape());
            assertArrayEquals(f32.toFloatArray(), w.toFloatArray(), 0f);
            NDArray half = r.read("w", manager, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, half.getDataType());
            float[] source = f32.toFloatArray();
            float[] halfValues = half.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < source.length; i++) {
                // PyTorch's f32→f16 cast rounds to nearest even, as FloatBits does
                assertEquals(FloatBits.f16ToFloat(FloatBits.floatToF16(source[i])), halfValues[i], 0f);
            }
            assertArrayEquals(ids.toLongArray(), r.read("ids", manager).toLongArray());
            assertArrayEquals(u8.toByteArray(), r.read("u8", manager).toByteArray());
        }
    }

    @Test
    void chunkedReadsAssembleTheSameTensor() {
        float[] f = randomFloats(37 * 5, 3);
        Path file = dir.resolve("chunks.safetensors");
        new SafetensorsWriter().addFloats("m", new Shape(37, 5), f, SafetensorsDtype.BF16).write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            float[] whole = r.read("m", manager).toFloatArray();
            NDArray chunked = r.read("m", manager, DataType.FLOAT32, 3 * 5 * 4); // 3 rows per chunk → 13 chunks
            assertEquals(new Shape(37, 5), chunked.getShape());
            assertArrayEquals(whole, chunked.toFloatArray(), 0f);
        }
    }

    @Test
    void readArraysDoNotDependOnTheFileOrTheStagingBuffer() throws IOException {
        Path file = dir.resolve("a.safetensors");
        new SafetensorsWriter()
                .addFloats("a", new Shape(4), new float[] {1, 2, 3, 4}, SafetensorsDtype.F32)
                .addFloats("b", new Shape(4), new float[] {5, 6, 7, 8}, SafetensorsDtype.F32)
                .write(file);
        NDArray a;
        NDArray b;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            a = r.read("a", manager);
            b = r.read("b", manager); // reuses the staging buffer a went through
        }
        Files.delete(file);
        a.addi(manager.create(10f)); // writable, PyTorch-owned memory
        assertArrayEquals(new float[] {11, 12, 13, 14}, a.toFloatArray(), 0f);
        assertArrayEquals(new float[] {5, 6, 7, 8}, b.toFloatArray(), 0f);
    }

    @Test
    void shardedCheckpointsReadThroughTheIndex() throws IOException {
        new SafetensorsWriter().addFloats("x", new Shape(2), new float[] {1, 2}, SafetensorsDtype.F32)
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().addFloats("y", new Shape(1), new float[] {3}, SafetensorsDtype.BF16)
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve(SafetensorsReader.INDEX_FILE), "{\"metadata\":{\"total_size\":10},"
                + "\"weight_map\":{\"x\":\"model-00001-of-00002.safetensors\",\"y\":\"model-00002-of-00002.safetensors\"}}");
        try (SafetensorsReader r = SafetensorsReader.open(dir)) {
            assertEquals(java.util.Set.of("x", "y"), r.names());
            assertArrayEquals(new float[] {1, 2}, r.read("x", manager).toFloatArray(), 0f);
            assertArrayEquals(new float[] {3}, r.read("y", manager).toFloatArray(), 0f);
            assertTrue(r.info("y").file().getFileName().toString().startsWith("model-00002"));
        }
        Files.writeString(dir.resolve(SafetensorsReader.INDEX_FILE), "{\"weight_map\":{\"x\":"
                + "\"model-00002-of-00002.safetensors\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.open(dir));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("does not hold it"), e.getMessage());
    }

    @Test
    void writerRefusesMismatchesByName() {
        SafetensorsWriter w = new SafetensorsWriter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("w", new Shape(2, 2), new float[3], SafetensorsDtype.F32));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("(2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("w", new Shape(1), new float[1], SafetensorsDtype.I64));
        assertTrue(e.getMessage().contains("F32, F16 or BF16"), e.getMessage());
        w.addFloats("w", new Shape(1), new float[1], SafetensorsDtype.F32);
        e = assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("w", new Shape(1), new float[1], SafetensorsDtype.F32));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.writeString(file, "old");
        new SafetensorsWriter().addFloats("a", new Shape(1), new float[] {1}, SafetensorsDtype.F32).write(file);
        assertFalse(Files.exists(dir.resolve("m.safetensors.tmp")));
        try (FileChannel c = FileChannel.open(file)) {
            assertTrue(c.size() > 8);
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1}, r.readFloats("a"), 0f);
        }
    }
}
