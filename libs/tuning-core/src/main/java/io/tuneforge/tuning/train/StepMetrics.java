package io.tuneforge.tuning.train;

/**
 * What one optimizer step reports (Hugging Face's {@code log_history} entry, plus speed).
 *
 * @param step optimizer steps done, 1-based (the step just finished)
 * @param totalSteps optimizer steps of the whole run
 * @param epoch fractional epochs done: {@code epochIndex + micro-batches done in it / micro-batches per epoch}
 * @param loss mean token NLL of the step: Σ NLL over its micro-batches / their target tokens
 * @param learningRate the rate this step was taken with
 * @param gradNorm global gradient norm before clipping
 * @param tokens non-padding tokens the step read
 * @param targetTokens tokens the loss counted
 * @param tokensPerSecond {@code tokens} / the step's wall time
 * @param etaSeconds estimated seconds to the end: mean step time since (re)start × steps left
 */
public record StepMetrics(long step, long totalSteps, double epoch, double loss, double learningRate, double gradNorm,
                          long tokens, long targetTokens, double tokensPerSecond, double etaSeconds) {
}
