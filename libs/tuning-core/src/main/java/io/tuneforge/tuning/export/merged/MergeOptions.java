package io.tuneforge.tuning.export.merged;

import io.tuneforge.tuning.weights.SafetensorsDtype;

import java.util.Locale;

/**
 * How {@link MergedModelExporter} stores the merged weights.
 *
 * @param dtype         F32 (default: the merge is done in f32 and kept exact), BF16 or F16 (half the bytes,
 *                      rounded to nearest even)
 * @param maxShardBytes above this many tensor bytes the weights are split into
 *                      {@code model-0000k-of-0000n.safetensors} shards with {@code model.safetensors.index.json}
 *                      (transformers' {@code max_shard_size}; one tensor larger than the limit gets a shard alone)
 */
public record MergeOptions(SafetensorsDtype dtype, long maxShardBytes) {

    /** transformers' default {@code max_shard_size="5GB"}. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    public MergeOptions {
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("merged weights dtype " + dtype
                    + " is not supported; use F32, BF16 or F16");
        }
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
    }

    /** f32, shards above 5 GB. */
    public static MergeOptions defaults() {
        return new MergeOptions(SafetensorsDtype.F32, DEFAULT_MAX_SHARD_BYTES);
    }

    public MergeOptions withDtype(SafetensorsDtype value) {
        return new MergeOptions(value, maxShardBytes);
    }

    public MergeOptions withMaxShardBytes(long value) {
        return new MergeOptions(dtype, value);
    }

    /** {@code torch_dtype} written into config.json. */
    public String torchDtype() {
        return switch (dtype) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        };
    }

    /**
     * Parses {@code f32|float32}, {@code bf16|bfloat16}, {@code f16|float16} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static SafetensorsDtype parseDtype(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "f32", "float32" -> SafetensorsDtype.F32;
            case "bf16", "bfloat16" -> SafetensorsDtype.BF16;
            case "f16", "float16" -> SafetensorsDtype.F16;
            default -> throw new IllegalArgumentException("merged dtype '" + value
                    + "' is not supported; use f32 (default), bf16 or f16");
        };
    }
}
