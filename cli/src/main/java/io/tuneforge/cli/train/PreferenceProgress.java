package io.tuneforge.cli.train;

import io.tuneforge.tuning.preference.PreferenceCallback;
import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingPlan;
import io.tuneforge.tuning.train.TrainingResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of a DPO/ORPO run: the SFT progress display for every step ({@link ProgressReporter}), plus a line per
 * evaluation with TRL's headline preference metrics ({@code eval rewards/accuracies 0.92 margins 0.4132 …}).
 * Every step's full metrics are in {@code metrics.jsonl}.
 */
final class PreferenceProgress implements PreferenceCallback {

    private final TrainingCallback steps;
    private final PrintStream err;

    PreferenceProgress(TrainingCallback steps, PrintStream err) {
        this.steps = steps;
        this.err = err;
    }

    @Override
    public void onTrainBegin(TrainingPlan plan, long startStep) {
        steps.onTrainBegin(plan, startStep);
    }

    @Override
    public void onStep(StepMetrics metrics) {
        steps.onStep(metrics);
    }

    @Override
    public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
        steps.onEvalLoss(step, epoch, evalLoss, evalTokens);
    }

    @Override
    public void onPreferenceEval(long step, Map<String, Double> m) {
        err.println(String.format(Locale.ROOT, "eval rewards/accuracies %.2f rewards/margins %.4f logps/chosen %.2f"
                        + " logps/rejected %.2f at step %d", m.get("eval_rewards/accuracies"),
                m.get("eval_rewards/margins"), m.get("eval_logps/chosen"), m.get("eval_logps/rejected"), step));
        err.flush();
    }

    @Override
    public void onCheckpoint(long step, Path checkpoint) {
        steps.onCheckpoint(step, checkpoint);
    }

    @Override
    public void onTrainEnd(TrainingResult result) {
        steps.onTrainEnd(result);
    }
}
