package io.tuneforge.tuning.train;

import java.nio.file.Path;

/**
 * How a call of {@link SftTrainer#train} ended.
 *
 * @param globalStep optimizer steps done in total (including those before a resume)
 * @param totalSteps optimizer steps of the whole plan
 * @param lastLoss loss of the last step
 * @param evalLoss last eval loss, or null without an eval set
 * @param cancelled stopped by the {@link CancellationToken}
 * @param cancelReason the token's reason, or null
 * @param lastCheckpoint the checkpoint written last
 * @param artifacts {@code OUTPUT/adapter} or {@code OUTPUT/model}; null when cancelled (resume to finish)
 * @param seconds wall time of this call
 * @param tokens non-padding tokens read by this call
 */
public record TrainingResult(long globalStep, long totalSteps, double lastLoss, Double evalLoss, boolean cancelled,
                             String cancelReason, Path lastCheckpoint, Path artifacts, double seconds, long tokens) {
}
