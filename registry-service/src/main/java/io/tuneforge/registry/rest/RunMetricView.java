package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.RunMetricEntity;

import java.time.Instant;

/**
 * One point of a run's metric series (one optimizer step).
 *
 * @param evalLoss null unless the eval split was measured at this step
 * @param progress share of planned steps done, 0..1
 * @param time     time of the progress event the values come from
 */
public record RunMetricView(long step, Long totalSteps, Double epoch, Double trainLoss, Double evalLoss,
                            Double learningRate, Double gradNorm, Double tokensPerSecond, Double progress,
                            Double etaSeconds, Instant time) {

    public static RunMetricView from(RunMetricEntity m) {
        return new RunMetricView(m.step, m.totalSteps, m.epoch, m.trainLoss, m.evalLoss, m.learningRate, m.gradNorm,
                m.tokensPerSecond, m.progress, m.etaSeconds, m.time);
    }
}
