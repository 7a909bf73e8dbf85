package io.tuneforge.tuning.generate;

import java.util.List;

/**
 * The rows of one batched generation and where its time went.
 *
 * @param rows one result per prompt, in prompt order
 * @param paddedPromptLength T, the longest prompt (shorter ones are left-padded to it)
 * @param prefillNanos time of the prefill forward over the padded (B, T) batch, logits to Java included
 * @param decodeSteps forward calls after the prefill (each one token per row)
 * @param decodeNanos time of those calls, sampling and stop checks included
 */
public record BatchGeneration(
        List<GenerationResult> rows,
        int paddedPromptLength,
        long prefillNanos,
        int decodeSteps,
        long decodeNanos) {

    public BatchGeneration {
        rows = List.copyOf(rows);
    }

    /** Prompt tokens (without padding) per second of prefill. */
    public double prefillTokensPerSecond() {
        long tokens = rows.stream().mapToLong(GenerationResult::promptTokens).sum();
        return tokens / (prefillNanos / 1e9);
    }

    /** Generated tokens per second of decoding (the first token of each row comes from the prefill). */
    public double decodeTokensPerSecond() {
        long tokens = rows.stream().mapToLong(r -> r.tokenIds().length).sum() - rows.size();
        return decodeNanos == 0 ? 0 : tokens / (decodeNanos / 1e9);
    }
}
