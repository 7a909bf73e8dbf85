package io.tuneforge.cli.train;

import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingPlan;
import io.tuneforge.tuning.train.TrainingResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training progress on stderr: on a terminal one line redrawn in place,
 * {@code [=======>      ] 12/60  loss 4.1234  lr 2.00e-04  3,456 tok/s  ETA 0:42}; otherwise (a pipe, a log
 * file, CI) one plain line per step, {@code step 12/60 epoch 0.40 loss 4.1234 lr 2.00e-04 grad_norm 0.812
 * tokens/s 3456 eta 42s}. Eval losses and checkpoints get a line of their own.
 */
final class ProgressReporter implements TrainingCallback {

    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean terminal;
    private boolean lineOpen;

    ProgressReporter(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onTrainBegin(TrainingPlan plan, long startStep) {
        String from = startStep == 0 ? "" : ", resuming after step " + startStep;
        println(String.format(Locale.ROOT, "training: %d steps (%d epochs, %d examples, batch %d × accumulation %d)%s",
                plan.totalSteps(), plan.epochs(), plan.datasetSize(), plan.batchSize(), plan.gradientAccumulation(),
                from));
    }

    @Override
    public void onStep(StepMetrics m) {
        if (terminal) {
            int done = (int) (WIDTH * m.step() / Math.max(1, m.totalSteps()));
            String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < WIDTH ? ">" : done == WIDTH ? "=" : "")
                    + " ".repeat(WIDTH - done);
            err.print(String.format(Locale.ROOT, "\r[%s] %d/%d  loss %.4f  lr %.2e  %,.0f tok/s  ETA %s ", bar,
                    m.step(), m.totalSteps(), m.loss(), m.learningRate(), m.tokensPerSecond(), clock(m.etaSeconds())));
            err.flush();
            lineOpen = true;
            if (m.step() == m.totalSteps()) {
                endLine();
            }
        } else {
            println(String.format(Locale.ROOT, "step %d/%d epoch %.2f loss %.4f lr %.2e grad_norm %.3f tokens/s %.0f"
                            + " eta %s", m.step(), m.totalSteps(), m.epoch(), m.loss(), m.learningRate(), m.gradNorm(),
                    m.tokensPerSecond(), clock(m.etaSeconds())));
        }
    }

    @Override
    public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
        println(String.format(Locale.ROOT, "eval loss %.4f at step %d (%d tokens)", evalLoss, step, evalTokens));
    }

    @Override
    public void onCheckpoint(long step, Path checkpoint) {
        println("checkpoint " + checkpoint);
    }

    @Override
    public void onTrainEnd(TrainingResult result) {
        endLine();
    }

    private void println(String line) {
        endLine();
        err.println(line);
        err.flush();
    }

    private void endLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    /** 42s, 3:07, 1:02:03 */
    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
