package io.tuneforge.dataprep.validate;

/**
 * Counts the tokens of a text for the token limit and the manifest's length histogram. Pass the target model's
 * tokenizer when it is known (the CLI's {@code --tokenizer DIR} wraps a Hugging Face {@code tokenizer.json});
 * otherwise {@link EstimatedTokenCounter} states an estimate.
 *
 * <p>Implementations must be thread-safe: the pipeline calls them from its worker threads.
 */
public interface TokenCounter {

    /** Tokens of {@code text} without special tokens (the chat template adds those). */
    int count(String text);

    /** What this counter is, for the manifest: e.g. {@code estimate: CJK 1/char, other 1 per 4 chars}. */
    String description();
}
