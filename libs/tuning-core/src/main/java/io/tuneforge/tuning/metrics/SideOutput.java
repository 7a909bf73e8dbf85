package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one model (base or tuned) did on one sample.
 *
 * @param output generated text, or null when nothing was generated (only scoring metrics asked for)
 * @param finishReason eos, stop_string or length; null without generation
 * @param generatedTokens tokens generated
 * @param scores text metrics of the output against the reference, or null
 * @param referenceNll mean NLL per token of the reference answer (nats), or null
 * @param referenceTokens the reference's scored tokens
 * @param chosenLogProb preference records: log p(chosen | prompt), else null
 * @param rejectedLogProb preference records: log p(rejected | prompt), else null
 * @param chosenWins preference records: whether chosen beat rejected, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SideOutput(String output, String finishReason, Integer generatedTokens, TextScores scores,
                         Double referenceNll, Integer referenceTokens, Double chosenLogProb, Double rejectedLogProb,
                         Boolean chosenWins) {
}
