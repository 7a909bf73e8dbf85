package io.tuneforge.tuning.train;

/**
 * The loss or the gradient norm of an optimizer step was NaN or infinite. The step's update was
 * not applied, so the last checkpoint (if any) holds finite weights to resume from with a lower
 * learning rate or a tighter {@code maxGradNorm}.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final double loss;
    private final double gradNorm;

    public TrainingDivergedException(long step, double loss, double gradNorm, double learningRate) {
        super("training diverged at step " + step + ": loss = " + loss + ", gradient norm = " + gradNorm
                + " (learning rate " + learningRate + "); a finite loss and norm are needed — resume from the last"
                + " checkpoint with a lower learningRate or a smaller maxGradNorm");
        this.step = step;
        this.loss = loss;
        this.gradNorm = gradNorm;
    }

    /** The 1-based optimizer step that diverged. */
    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }

    public double gradNorm() {
        return gradNorm;
    }
}
