package io.tuneforge.contracts.training;

import java.util.List;

/**
 * Optimisation settings, named as in the OpenAI fine-tuning API and LLaMA-Factory/Axolotl configs.
 * Absent fields take the values of {@link #defaults()}.
 *
 * @param epochs               passes over the training split
 * @param learningRate         peak learning rate of AdamW
 * @param batchSize            sequences per micro-batch
 * @param gradientAccumulation micro-batches per optimizer step
 * @param maxSeqLength         tokens per sequence; longer records are truncated and counted
 * @param warmupRatio          share of the optimizer steps spent warming up linearly from 0
 * @param warmupSteps          warmup as a step count; wins over warmupRatio when set
 * @param scheduler            {@code cosine}, {@code linear} or {@code constant}
 * @param weightDecay          decoupled weight decay of AdamW
 * @param maxGradNorm          global-norm gradient clipping; 0 disables it
 * @param beta                 DPO temperature / ORPO weight λ of the odds-ratio term
 * @param seed                 seeds initialisation, dropout and data order
 * @param checkpointSteps      optimizer steps between checkpoints; 0 = only at the end
 * @param evalSteps            optimizer steps between eval-loss measurements; 0 = only at the end
 * @param packing              pack short examples into one sequence (attention does not cross examples)
 * @param trainOnPrompt        also train on system/user/prompt tokens
 */
public record Hyperparameters(Integer epochs, Double learningRate, Integer batchSize, Integer gradientAccumulation,
                              Integer maxSeqLength, Double warmupRatio, Integer warmupSteps, String scheduler,
                              Double weightDecay, Double maxGradNorm, Double beta, Long seed,
                              Integer checkpointSteps, Integer evalSteps, Boolean packing, Boolean trainOnPrompt) {

    /** Learning-rate schedules after warmup. */
    public static final List<String> SCHEDULERS = List.of("cosine", "linear", "constant");

    public static Hyperparameters defaults() {
        return new Hyperparameters(3, 2e-4, 2, 8, 2048, 0.03, null, "cosine", 0.01, 1.0, 0.1, 42L,
                0, 0, false, false);
    }

    /** This record with every absent field taken from {@link #defaults()}. */
    public Hyperparameters withDefaults() {
        Hyperparameters d = defaults();
        return new Hyperparameters(
                epochs != null ? epochs : d.epochs,
                learningRate != null ? learningRate : d.learningRate,
                batchSize != null ? batchSize : d.batchSize,
                gradientAccumulation != null ? gradientAccumulation : d.gradientAccumulation,
                maxSeqLength != null ? maxSeqLength : d.maxSeqLength,
                warmupRatio != null ? warmupRatio : d.warmupRatio,
                warmupSteps,
                scheduler != null ? scheduler : d.scheduler,
                weightDecay != null ? weightDecay : d.weightDecay,
                maxGradNorm != null ? maxGradNorm : d.maxGradNorm,
                beta != null ? beta : d.beta,
                seed != null ? seed : d.seed,
                checkpointSteps != null ? checkpointSteps : d.checkpointSteps,
                evalSteps != null ? evalSteps : d.evalSteps,
                packing != null ? packing : d.packing,
                trainOnPrompt != null ? trainOnPrompt : d.trainOnPrompt);
    }
}
