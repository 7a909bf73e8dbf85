package io.tuneforge.augment.llm;

/**
 * One completion's answer.
 *
 * @param text             the assistant's text ("" when it said nothing)
 * @param finishReason     {@code stop}, {@code length}, ... or null when the server did not say
 * @param promptTokens     input tokens the server reported (0 when it did not)
 * @param completionTokens output tokens the server reported (0 when it did not)
 * @param cached           true when read from the response cache: nothing was paid for it this time
 */
public record LlmReply(String text, String finishReason, long promptTokens, long completionTokens, boolean cached) {

    public LlmReply asCached() {
        return new LlmReply(text, finishReason, promptTokens, completionTokens, true);
    }
}
