package io.tuneforge.trainer.training;

import java.nio.file.Path;

/**
 * What one attempt of a run trains from, on local disk.
 *
 * @param baseModel   the cached base model directory
 * @param trainData   {@code train.jsonl} of the dataset version
 * @param evalData    its {@code eval.jsonl}, or null when the version has none
 * @param outputDir   where the recipe writes checkpoints, metrics.jsonl and the adapter or model
 * @param resumeFrom  the run's latest checkpoint from the store, or null for a fresh start
 * @param resumedStep the step of that checkpoint (0 for a fresh start)
 */
public record RunInputs(Path baseModel, Path trainData, Path evalData, Path outputDir, Path resumeFrom,
                        long resumedStep) {
}
