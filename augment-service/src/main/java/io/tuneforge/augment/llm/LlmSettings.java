package io.tuneforge.augment.llm;

/**
 * The sampling parameters of a completion; with the prompt they make the cache key.
 *
 * @param model       model name as the endpoint knows it
 * @param temperature 0 to 2
 * @param maxTokens   most tokens of the answer ({@code max_tokens})
 */
public record LlmSettings(String model, double temperature, int maxTokens) {
}
