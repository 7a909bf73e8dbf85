package io.tuneforge.tuning.export.merged;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes weights as transformers' {@code save_pretrained} lays them out: one {@code model.safetensors}, or —
 * when the tensor bytes exceed the shard limit — {@code model-0000k-of-0000n.safetensors} plus
 * {@code model.safetensors.index.json} ({@code metadata.total_size} = bytes of all tensors,
 * {@code weight_map} name → shard file).
 *
 * <p>Shards are filled in the given order until the next tensor would pass the limit (transformers'
 * {@code split_torch_state_dict_into_shards}); a tensor bigger than the limit gets a shard of its own.
 */
final class ShardedSafetensors {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ShardedSafetensors() {
    }

    /**
     * Writes {@code weights} into {@code dir}.
     *
     * @return the safetensors file names written, in order
     */
    static List<String> write(Map<String, NDArray> weights, SafetensorsDtype dtype, long maxShardBytes, Path dir)
            throws IOException {
        List<Map<String, NDArray>> shards = plan(weights, dtype, maxShardBytes);
        if (shards.size() == 1) {
            writeShard(shards.get(0), dtype, dir.resolve(SafetensorsReader.SINGLE_FILE));
            return List.of(SafetensorsReader.SINGLE_FILE);
        }
        List<String> files = new ArrayList<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalSize = 0;
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            writeShard(shards.get(i), dtype, dir.resolve(file));
            files.add(file);
            for (Map.Entry<String, NDArray> e : shards.get(i).entrySet()) {
                weightMap.put(e.getKey(), file);
                totalSize += bytes(e.getValue(), dtype);
            }
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        JSON.writeValue(dir.resolve(SafetensorsReader.INDEX_FILE).toFile(), index);
        return files;
    }

    /** Tensors grouped into shards of at most {@code maxShardBytes} (except a single bigger tensor). */
    static List<Map<String, NDArray>> plan(Map<String, NDArray> weights, SafetensorsDtype dtype, long maxShardBytes) {
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            long b = bytes(e.getValue(), dtype);
            if (!current.isEmpty() && size + b > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += b;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static long bytes(NDArray array, SafetensorsDtype dtype) {
        return array.getShape().size() * dtype.bytes();
    }

    private static void writeShard(Map<String, NDArray> tensors, SafetensorsDtype dtype, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter().putMetadata("format", "pt");
        tensors.forEach((name, array) -> writer.add(name, array, dtype));
        writer.write(file);
    }
}
