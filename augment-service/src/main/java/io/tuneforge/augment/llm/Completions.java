package io.tuneforge.augment.llm;

/** Chat completions as augmentation jobs use them: cached, retried, guarded. */
public interface Completions {

    /**
     * The answer to {@code prompt}: from the response cache, or from the API (then cached).
     *
     * @param stats the job's counters, updated with what this completion cost
     * @throws LlmCallException when the completion failed for good (its kind says whether the job can go on)
     * @throws java.util.concurrent.CancellationException when the thread was interrupted (the job is stopping)
     */
    LlmReply complete(ChatPrompt prompt, LlmSettings settings, CallStats stats);

    /** The API's base URL, for manifests and messages (never the key). */
    String endpoint();
}
