package io.tuneforge.tuning.train;

import java.nio.file.Path;

/**
 * Hooks the trainer calls on its own thread, in order (transformers' {@code TrainerCallback}).
 * Every method does nothing by default; a callback that throws stops the run with that exception.
 */
public interface TrainingCallback {

    /** Before the first step of this (possibly resumed) run. */
    default void onTrainBegin(TrainingPlan plan, long startStep) {
    }

    /** After each optimizer step. */
    default void onStep(StepMetrics metrics) {
    }

    /**
     * After the eval set's loss was measured (every {@code evalSteps} and at the end).
     *
     * @param evalLoss mean token NLL over the whole eval set
     * @param evalTokens target tokens it averaged
     */
    default void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
    }

    /** After a checkpoint directory was completely written and renamed into place. */
    default void onCheckpoint(long step, Path checkpoint) {
    }

    /** After the run ended, normally or by cancellation (not on failure). */
    default void onTrainEnd(TrainingResult result) {
    }

    /** A callback that forwards every call to each of {@code callbacks}, in order. */
    static TrainingCallback all(TrainingCallback... callbacks) {
        return new TrainingCallback() {
            @Override
            public void onTrainBegin(TrainingPlan plan, long startStep) {
                for (TrainingCallback c : callbacks) {
                    c.onTrainBegin(plan, startStep);
                }
            }

            @Override
            public void onStep(StepMetrics metrics) {
                for (TrainingCallback c : callbacks) {
                    c.onStep(metrics);
                }
            }

            @Override
            public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
                for (TrainingCallback c : callbacks) {
                    c.onEvalLoss(step, epoch, evalLoss, evalTokens);
                }
            }

            @Override
            public void onCheckpoint(long step, Path checkpoint) {
                for (TrainingCallback c : callbacks) {
                    c.onCheckpoint(step, checkpoint);
                }
            }

            @Override
            public void onTrainEnd(TrainingResult result) {
                for (TrainingCallback c : callbacks) {
                    c.onTrainEnd(result);
                }
            }
        };
    }
}
