package io.tuneforge.tuning.generate;

import java.util.Arrays;

/**
 * One row's generation.
 *
 * @param tokenIds the generated ids, including the EOS id or the tokens that completed a stop string
 * @param text the generated text without special tokens, EOS, or the stop string and what follows it
 * @param finishReason why it stopped
 * @param promptTokens the prompt's length in tokens
 */
public record GenerationResult(long[] tokenIds, String text, FinishReason finishReason, int promptTokens) {

    public GenerationResult {
        tokenIds = tokenIds.clone();
    }

    @Override
    public long[] tokenIds() {
        return tokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationResult r && Arrays.equals(tokenIds, r.tokenIds) && text.equals(r.text)
                && finishReason == r.finishReason && promptTokens == r.promptTokens;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokenIds) * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return "GenerationResult[" + finishReason + ", " + tokenIds.length + " tokens, text=" + text + "]";
    }
}
