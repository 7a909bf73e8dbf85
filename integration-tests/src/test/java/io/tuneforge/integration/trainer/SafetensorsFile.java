package io.tuneforge.integration.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The F32 tensors of a {@code .safetensors} file as float arrays, read by hand from the format's definition (8-byte
 * little-endian header length, JSON header of name → dtype/shape/data_offsets, then the raw data), so the test
 * compares adapters without loading PyTorch.
 */
final class SafetensorsFile {

    private SafetensorsFile() {
    }

    static Map<String, float[]> readF32(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = all.getLong(0);
        JsonNode header = Json.mapper().readTree(new String(all.array(), 8, Math.toIntExact(headerLength),
                StandardCharsets.UTF_8));
        int dataStart = 8 + Math.toIntExact(headerLength);
        Map<String, float[]> tensors = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            String dtype = entry.getValue().path("dtype").asText();
            if (!dtype.equals("F32")) {
                throw new IllegalArgumentException(file + ": tensor " + entry.getKey() + " is " + dtype
                        + "; expected F32 (PEFT adapters saved by tuning-core are F32)");
            }
            int begin = entry.getValue().path("data_offsets").get(0).asInt();
            int end = entry.getValue().path("data_offsets").get(1).asInt();
            float[] values = new float[(end - begin) / 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = all.getFloat(dataStart + begin + 4 * i);
            }
            tensors.put(entry.getKey(), values);
        }
        return tensors;
    }
}
