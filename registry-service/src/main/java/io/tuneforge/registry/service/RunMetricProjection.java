package io.tuneforge.registry.service;

import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.registry.persistence.RunEntity;
import io.tuneforge.registry.persistence.RunMetricEntity;
import io.tuneforge.registry.persistence.RunMetricRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Folds TrainingProgress events into the run's metric series ({@code run_metric}, one row per step) and into the
 * run's position in its plan. Progress may arrive out of order, and a resumed run repeats the steps after its last
 * checkpoint, so:
 * <ol>
 *   <li>the row of a step takes the values of the latest event (by event time) for that step; a value the latest
 *       event leaves out (eval loss is only measured some steps) keeps the one an earlier event gave;</li>
 *   <li>an older event for a step only fills values the row does not have yet;</li>
 *   <li>the run's step, progress and ETA come from the highest step seen, never from the last arrival.</li>
 * </ol>
 * Runs inside the caller's transaction.
 */
@ApplicationScoped
public class RunMetricProjection {

    private final RunMetricRepository metrics;

    public RunMetricProjection(RunMetricRepository metrics) {
        this.metrics = metrics;
    }

    public void apply(RunEntity run, TrainingProgress p, Instant time) {
        RunMetricEntity row = metrics.atStep(run.runId, p.step()).orElse(null);
        if (row == null) {
            row = new RunMetricEntity();
            row.runId = run.runId;
            row.step = p.step();
            row.time = time;
            copy(row, p, true);
            metrics.persist(row);
        } else {
            boolean newer = !time.isBefore(row.time);
            copy(row, p, newer);
            if (newer) {
                row.time = time;
            }
        }
        if (run.step == null || p.step() >= run.step) {
            run.step = p.step();
            run.totalSteps = p.totalSteps() > 0 ? p.totalSteps() : run.totalSteps;
            run.progress = clamp(p.progress());
            run.etaSeconds = finite(p.etaSeconds());
        }
    }

    /** @param replace true: the event's values win; false: they only fill what the row lacks */
    private static void copy(RunMetricEntity row, TrainingProgress p, boolean replace) {
        row.totalSteps = pick(row.totalSteps, p.totalSteps() > 0 ? p.totalSteps() : null, replace);
        row.epoch = pick(row.epoch, finite(p.epoch()), replace);
        row.trainLoss = pick(row.trainLoss, finite(p.trainLoss()), replace);
        row.evalLoss = pick(row.evalLoss, p.evalLoss() == null ? null : finite(p.evalLoss()), replace);
        row.learningRate = pick(row.learningRate, finite(p.learningRate()), replace);
        row.gradNorm = pick(row.gradNorm, p.gradNorm() == null ? null : finite(p.gradNorm()), replace);
        row.tokensPerSecond = pick(row.tokensPerSecond, finite(p.tokensPerSecond()), replace);
        row.progress = pick(row.progress, clamp(p.progress()), replace);
        row.etaSeconds = pick(row.etaSeconds, finite(p.etaSeconds()), replace);
    }

    private static <T> T pick(T current, T incoming, boolean replace) {
        if (incoming == null) {
            return current;
        }
        return replace || current == null ? incoming : current;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Double clamp(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : null;
    }
}
