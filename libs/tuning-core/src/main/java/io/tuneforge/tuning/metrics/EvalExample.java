package io.tuneforge.tuning.metrics;

import io.tuneforge.tuning.chat.Message;

import java.util.List;

/**
 * One record of an eval split as an evaluation uses it.
 *
 * @param line 1-based line of the record in its JSONL file
 * @param prompt the conversation up to (not including) the answer
 * @param reference the answer to compare outputs with (a preference record's chosen answer)
 * @param rejected a preference record's rejected answer, else null
 */
public record EvalExample(long line, List<Message> prompt, String reference, String rejected) {

    public EvalExample {
        prompt = List.copyOf(prompt);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("line " + line + ": the prompt has no turns");
        }
    }

    public boolean isPreference() {
        return rejected != null;
    }
}
