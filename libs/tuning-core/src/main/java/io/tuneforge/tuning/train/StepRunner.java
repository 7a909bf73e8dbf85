package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.loss.CausalLmLoss;
import io.tuneforge.tuning.loss.LossSum;
import io.tuneforge.tuning.model.LlamaModel;

import java.util.Map;

/**
 * One optimizer step over a few micro-batches (gradient accumulation), the loop body of the
 * recipe:
 *
 * <pre>
 * 1) per micro-batch, in its own sub-manager: collate → forward → Σ NLL (CausalLmLoss.sum) → backward
 *    (gradients of the plain sums accumulate in the parameters' .grad)
 * 2) loss = Σ sums / Σ target tokens;  NaN/Inf → {@link TrainingDivergedException}, nothing applied
 * 3) g ← g / Σ target tokens   — the gradient of that mean, i.e. of each sum/count as torchtune and
 *    transformers (num_items_in_batch) normalise, without a constant on the autograd path
 * 4) global-norm clipping ({@link GradientClipper}) of those gradients; the pre-clip norm is reported.
 *    3) and 4) are one multiplication: the norm of the summed gradients / tokens is the norm of the mean's,
 *    so g ← g · min(1, maxNorm / (norm + 1e-6)) / tokens, which AdamW applies as it reads g (no pass of its own)
 * 5) AdamW at lr = schedule(step index); masters → model; gradients zeroed
 *
 * <p>{@link #lastPhases()} tells where the last step's time went (forward, backward, clip, optimizer, zeroing).
 * </pre>
 *
 * <p>Memory: every array of a step lives in a sub-manager of this runner's manager, closed before
 * {@link #run} returns; only the parameters, their gradients and the optimizer state persist.
 */
public final class StepRunner implements AutoCloseable {

    private final LlamaModel model;
    private final TrainableParameters params;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final NDManager root;
    private StepPhases lastPhases;

    /** Makes micro-batch {@code index} of the current step in {@code manager} (closed after its backward). */
    @FunctionalInterface
    public interface MicroBatchSource {
        Batch collate(int index, NDManager manager);
    }

    /**
     * What a step did.
     *
     * @param loss Σ NLL / target tokens
     * @param gradNorm global norm before clipping
     * @param learningRate the rate used
     * @param tokens non-padding tokens read
     * @param targetTokens tokens the loss counted
     */
    public record Outcome(double loss, double gradNorm, double learningRate, long tokens, long targetTokens) {
    }

    /**
     * @param maxGradNorm clipping bound; 0 turns clipping off (the norm is still measured)
     */
    public StepRunner(LlamaModel model, TrainableParameters params, AdamW optimizer, LrSchedule schedule,
                      double maxGradNorm) {
        this.model = model;
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        this.root = NDManager.newBaseManager(model.device().device());
    }

    /**
     * Runs optimizer step {@code stepIndex} (0-based: steps already taken).
     *
     * @param microBatches how many micro-batches {@code source} makes for this step (≥ 1)
     * @throws TrainingDivergedException when the loss or the gradient norm is not finite (weights untouched)
     */
    public Outcome run(long stepIndex, int microBatches, MicroBatchSource source) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("a step needs at least one micro-batch; got " + microBatches);
        }
        long start = System.nanoTime();
        long forward = 0;
        long backward = 0;
        double lr = schedule.lr(stepIndex);
        double lossSum = 0;
        long tokens = 0;
        long targets = 0;
        try (NDManager step = root.newSubManager()) {
            for (int i = 0; i < microBatches; i++) {                                              // 1)
                long t0 = System.nanoTime();
                try (NDManager micro = step.newSubManager(); Batch batch = source.collate(i, micro)) {
                    tokens += batch.tokens();
                    targets += batch.targetTokens();
                    try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
                        NDArray logits = forward(model, batch);                                   // (B, T, V)
                        LossSum sum = CausalLmLoss.sum(logits, batch.labels());
                        lossSum += sum.sum().getFloat();
                        long t1 = System.nanoTime();
                        forward += t1 - t0;
                        collector.backward(sum.sum());
                        t0 = System.nanoTime();
                        backward += t0 - t1;
                    }
                }
            }
            double loss = targets == 0 ? Double.NaN : lossSum / targets;                          // 2)
            if (!Double.isFinite(loss)) {
                params.zeroGradients();
                if (targets == 0) {
                    throw new IllegalStateException("step " + (stepIndex + 1) + " has no target token in its "
                            + microBatches + " micro-batch(es); every label is -100, so there is nothing to learn");
                }
                throw new TrainingDivergedException(stepIndex + 1, loss, Double.NaN, lr);
            }
            long t2 = System.nanoTime();
            Map<String, NDArray> grads = params.gradients(step);
            double gradNorm = GradientClipper.globalNorm(grads.values(), step) / targets;           // 3) + 4)
            if (!Double.isFinite(gradNorm)) {
                params.zeroGradients();
                throw new TrainingDivergedException(stepIndex + 1, loss, gradNorm, lr);
            }
            long t3 = System.nanoTime();
            double factor = GradientClipper.coefficient(gradNorm, maxGradNorm) / targets;
            optimizer.step(params.master(), grads, lr, factor);                                   // 5), scaled as read
            params.syncToModel();
            long t4 = System.nanoTime();
            params.zeroGradients();
            long end = System.nanoTime();
            lastPhases = new StepPhases(forward / 1e6, backward / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6,
                    (end - t4) / 1e6, (end - start) / 1e6);
            return new Outcome(loss, gradNorm, lr, tokens, targets);
        }
    }

    /** Where the last completed step's time went (null before the first). */
    public StepPhases lastPhases() {
        return lastPhases;
    }

    /**
     * Σ NLL and target tokens of a batch without gradients (evaluation).
     *
     * @return {sum, count}
     */
    public static double[] evalSums(LlamaModel model, Batch batch) {
        try (GradMode off = GradMode.disabled()) {
            NDArray logits = forward(model, batch);
            LossSum sum = CausalLmLoss.sum(logits, batch.labels());
            return new double[] {sum.sum().getFloat(), sum.count()};
        }
    }

    /** The model's logits for a batch, packed or not. */
    static NDArray forward(LlamaModel model, Batch batch) {
        return batch.packed()
                ? model.forward(batch.inputIds(), batch.attentionMask(), null, batch.positionIds(), batch.segmentIds())
                : model.forward(batch.inputIds(), batch.attentionMask(), null);
    }

    @Override
    public void close() {
        root.close();
    }
}
