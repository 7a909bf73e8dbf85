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
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a safetensors file written by hand in Python (numpy/torch; see golden/README.md): unsorted
 * header, unaligned data, every supported dtype, a scalar, {@code __metadata__}.
 */
class SafetensorsReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NDManager manager;
    private static JsonNode expected;

    @TempDir
    static Path dir;
    private static Path fixture;

    @BeforeAll
    static void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        fixture = dir.resolve("python-written.safetensors");
        try (InputStream in = SafetensorsReaderTest.class.getResourceAsStream("/golden/python-written.safetensors")) {
            Files.copy(in, fixture);
        }
        try (InputStream in = SafetensorsReaderTest.class.getResourceAsStream("/golden/python-written.json")) {
            expected = JSON.readTree(in);
        }
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void readsEveryDtypeWrittenByPython() {
        try (SafetensorsReader r = SafetensorsReader.open(fixture)) {
            assertEquals(Map.of("format", "pt", "writer", "llama_reference.py"), r.metadata());
            assertEquals(6, r.names().size());
            for (String name : new String[] {"f32.matrix", "f16.vector", "bf16.matrix", "f32.scalar"}) {
                JsonNode e = expected.get(name);
                NDArray a = r.read(name, manager);
                assertEquals(DataType.FLOAT32, a.getDataType(), name);
                assertEquals(shape(e.get("shape")), a.getShape(), name);
                assertArrayEquals(floats(e.get("values")), a.toFloatArray(), 0f, name);
                assertArrayEquals(floats(e.get("values")), r.readFloats(name), 0f, name);
            }
            NDArray ids = r.read("i64.ids", manager);
            assertEquals(DataType.INT64, ids.getDataType());
            long[] expectedIds = new long[4];
            for (int i = 0; i < 4; i++) {
                expectedIds[i] = expected.get("i64.ids").get("values").get(i).asLong();
            }
            assertArrayEquals(expectedIds, ids.toLongArray());
            NDArray bytes = r.read("u8.bytes", manager);
            assertEquals(DataType.UINT8, bytes.getDataType());
            int[] expectedBytes = new int[6];
            for (int i = 0; i < 6; i++) {
                expectedBytes[i] = expected.get("u8.bytes").get("values").get(i).asInt();
            }
            assertArrayEquals(expectedBytes, bytes.toUint8Array());
        }
    }

    @Test
    void javaWriterRoundsBf16AndF16ExactlyAsTorchAndNumpy() {
        Path ours = dir.resolve("ours.safetensors");
        new SafetensorsWriter()
                .addFloats("bf16.matrix", new Shape(2, 3), floats(expected.get("bf16.matrix").get("source")),
                        SafetensorsDtype.BF16)
                .addFloats("f16.vector", new Shape(5), floats(expected.get("f16.vector").get("source")),
                        SafetensorsDtype.F16)
                .write(ours);
        try (SafetensorsReader python = SafetensorsReader.open(fixture);
             SafetensorsReader java = SafetensorsReader.open(ours)) {
            assertArrayEquals(python.readRaw("bf16.matrix"), java.readRaw("bf16.matrix"));
            assertArrayEquals(python.readRaw("f16.vector"), java.readRaw("f16.vector"));
        }
    }

    @Test
    void bf16OnCpuIsRefusedBeforePyTorchCanAbort() {
        try (SafetensorsReader r = SafetensorsReader.open(fixture)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.read("bf16.matrix", manager, DataType.BFLOAT16));
            assertTrue(e.getMessage().contains("bf16.matrix") && e.getMessage().contains("FLOAT32"), e.getMessage());
        }
    }

    @Test
    void unknownTensorIsNamed() {
        try (SafetensorsReader r = SafetensorsReader.open(fixture)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.info("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void corruptFilesAreRefusedWithTheReason() throws IOException {
        byte[] good = Files.readAllBytes(fixture);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsReader.open(truncated));
        assertTrue(e.getMessage().contains("data_offsets") && e.getMessage().contains("needs"), e.getMessage());

        Path hugeHeader = dir.resolve("huge-header.safetensors");
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(hugeHeader, bad);
        e = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.open(hugeHeader));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.open(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void unsupportedDtypeIsNamedWithTheSupportedOnes() throws IOException {
        String header = "{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}    ";
        ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putDouble(1.0);
        Path f = dir.resolve("f64.safetensors");
        Files.write(f, b.array());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.open(f));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("F64")
                && e.getMessage().contains("BF16"), e.getMessage());
    }

    static Shape shape(JsonNode dims) {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).asLong();
        }
        return new Shape(out);
    }

    static float[] floats(JsonNode values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }
}
