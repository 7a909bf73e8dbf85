package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/**
 * Throttled progress of a running run (every N steps or seconds).
 *
 * @param evalLoss   null unless measured at this step
 * @param progress   share of planned steps done, 0..1
 * @param etaSeconds estimated seconds left
 */
public record TrainingProgress(int schemaVersion, @Required String runId, @Required long step, long totalSteps, double epoch,
                               double trainLoss, Double evalLoss, double learningRate, Double gradNorm,
                               double tokensPerSecond, double progress, double etaSeconds) implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
