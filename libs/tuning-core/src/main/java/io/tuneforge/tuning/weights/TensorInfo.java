package io.tuneforge.tuning.weights;

import ai.djl.ndarray.types.Shape;

import java.nio.file.Path;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype stored element type
 * @param shape stored shape
 * @param file the file holding it (one shard of a sharded checkpoint)
 * @param dataOffset absolute byte offset of the first element in {@code file}
 * @param byteLength bytes of data (= elements × dtype size)
 */
public record TensorInfo(String name, SafetensorsDtype dtype, Shape shape, Path file, long dataOffset,
                         long byteLength) {

    /** Number of elements. */
    public long elementCount() {
        return shape.size();
    }
}
