package io.tuneforge.tuning.quant;

import io.tuneforge.contracts.training.QuantizationSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How QLoRA stores the frozen base weights (Dettmers et al., 2023, "QLoRA: Efficient Finetuning
 * of Quantized LLMs", arXiv:2305.14314), named as bitsandbytes / transformers'
 * {@code BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
 * bnb_4bit_use_double_quant=...)}.
 *
 * <p>Storage per parameter: 4 bits of code plus the block's absmax, i.e. {@code 0.5 + 4/blockSize}
 * bytes (0.5625 at block 64), or with double quantization {@code 0.5 + 1/blockSize +
 * 4/(blockSize·doubleQuantBlockSize)} plus one 4-byte offset per tensor (≈ 0.5159 at 64/256).
 *
 * @param type                  {@code nf4} (the only type implemented)
 * @param blockSize             elements per absmax block of the flattened weight: a power of two in [16, 4096]
 *                              (QLoRA: 64)
 * @param doubleQuant           quantize the absmax values again: subtract their mean, then 8-bit dynamic codes in
 *                              blocks of {@code doubleQuantBlockSize}, each block with its own f32 scale
 * @param doubleQuantBlockSize  absmax values per second-level block: a power of two in [16, 4096] (QLoRA: 256)
 * @throws IllegalArgumentException naming the bad field and what would be right
 */
public record QuantizationConfig(String type, int blockSize, boolean doubleQuant, int doubleQuantBlockSize) {

    /** The quantization type. */
    public static final String NF4 = "nf4";
    /** QLoRA's block size. */
    public static final int DEFAULT_BLOCK_SIZE = 64;
    /** QLoRA's second-level block size. */
    public static final int DEFAULT_DOUBLE_QUANT_BLOCK_SIZE = 256;

    public QuantizationConfig {
        List<String> problems = new ArrayList<>();
        if (!NF4.equals(type)) {
            problems.add("type = '" + type + "' is not implemented; use 'nf4'");
        }
        if (!powerOfTwoIn(blockSize)) {
            problems.add("blockSize = " + blockSize + " must be a power of two in [16, 4096] (QLoRA: 64)");
        }
        if (!powerOfTwoIn(doubleQuantBlockSize)) {
            problems.add("doubleQuantBlockSize = " + doubleQuantBlockSize
                    + " must be a power of two in [16, 4096] (QLoRA: 256)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid quantization config: " + String.join("; ", problems));
        }
    }

    /** NF4, blocks of 64, with or without double quantization (blocks of 256). */
    public static QuantizationConfig nf4(boolean doubleQuant) {
        return new QuantizationConfig(NF4, DEFAULT_BLOCK_SIZE, doubleQuant, DEFAULT_DOUBLE_QUANT_BLOCK_SIZE);
    }

    /** QLoRA's recipe: NF4, blocks of 64, double quantization in blocks of 256. */
    public static QuantizationConfig defaults() {
        return nf4(true);
    }

    /**
     * From the training request's {@code quantization} section; absent fields take QLoRA's values
     * ({@code nf4}, double quantization on).
     */
    public static QuantizationConfig from(QuantizationSettings settings) {
        QuantizationSettings s = Objects.requireNonNullElse(settings, QuantizationSettings.defaults()).withDefaults();
        return new QuantizationConfig(s.type(), DEFAULT_BLOCK_SIZE, s.doubleQuant(), DEFAULT_DOUBLE_QUANT_BLOCK_SIZE);
    }

    /** Expected stored bytes per parameter of a large tensor (ignores the last, partial blocks). */
    public double nominalBytesPerParameter() {
        return doubleQuant
                ? 0.5 + 1.0 / blockSize + 4.0 / ((double) blockSize * doubleQuantBlockSize)
                : 0.5 + 4.0 / blockSize;
    }

    private static boolean powerOfTwoIn(int v) {
        return v >= 16 && v <= 4096 && Integer.bitCount(v) == 1;
    }
}
