package io.tuneforge.registry.service;

import java.util.Map;

/**
 * One line of {@code evals/{evalId}/samples.jsonl}: the prompt, the reference answer, and the base and tuned
 * model's outputs side by side.
 *
 * @param index     position in the file, from 0
 * @param prompt    the prompt (chat turns flattened to "role: text" lines)
 * @param reference the expected answer, if the eval split has one
 * @param base      the base model's output
 * @param tuned     the tuned model's output
 * @param metrics   per-sample scores, e.g. {@code rougeL.base}, {@code rougeL.tuned}
 */
public record EvaluationSample(int index, String prompt, String reference, String base, String tuned,
                               Map<String, String> metrics) {

    /** One-based position, for people. */
    public int number() {
        return index + 1;
    }
}
