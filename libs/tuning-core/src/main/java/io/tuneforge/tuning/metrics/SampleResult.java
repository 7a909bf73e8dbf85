package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tuneforge.tuning.chat.Message;

import java.util.List;

/**
 * One line of {@code samples.jsonl}: the prompt, the reference, and base and tuned side by side.
 *
 * @param index 0-based position among the evaluated samples
 * @param line the record's line in the eval file
 * @param rejected preference records: the rejected answer
 * @param tuned null when only the base model was evaluated
 * @param problem why part of this sample was not scored (e.g. a prompt too long to score), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleResult(int index, long line, List<Message> prompt, String reference, String rejected,
                           SideOutput base, SideOutput tuned, String problem) {
}
