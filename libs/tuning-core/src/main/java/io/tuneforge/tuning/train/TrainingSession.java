package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The lifecycle every training recipe shares ({@link SftTrainer}, and preference tuning's PreferenceTrainer):
 * what is loaded, trained, saved and closed the same way whatever the loss. A recipe assembles its session in
 * this order inside {@link #assemble}, adding only what is its own between the steps:
 *
 * <pre>
 * open:            OUTPUT created; the checkpoint to resume checked against the request; model, tokenizer
 *   (recipe:       encoder → train/eval datasets → collator)
 * plan:            TrainingPlan from the examples' lengths, LrSchedule
 * attachTrainable: NF4 base for qlora (dense weights freed), LoRA attached or loaded from the checkpoint
 *   (recipe:       e.g. DPO's reference: the adapter switched off, a frozen copy, precomputed log-probs)
 * startOrResume:   TrainableParameters, AdamW (Hugging Face's decay grouping), state fresh or from the
 *                  checkpoint (full weights, optimizer, trainer state, same data position); training_args.json
 * train:           the loop ({@link Steps} runs a step and evaluates) → StepMetrics, callbacks, eval every
 *                  evalSteps, checkpoint every checkpointSteps, cancellation; at the end eval, checkpoint, export
 * close:           everything {@link #own}ed, in reverse order
 * </pre>
 *
 * Output directory ({@link RunDirectory}): {@code checkpoints/step-{n}/} ({@link Checkpoint}, plus the run files
 * a recipe {@link #carry carries}), {@code adapter/} (PEFT files) or {@code model/} (Hugging Face layout with
 * the tokenizer files), {@code metrics.jsonl}, {@code training_args.json}. The run happens on the calling thread.
 */
public final class TrainingSession implements AutoCloseable {

    /** Hugging Face Trainer's grouping: every weight decays except biases and norm weights. */
    public static final Predicate<String> FULL_FINE_TUNING_DECAY =
            name -> !name.endsWith(".bias") && !name.contains("norm");

    /** What a recipe does inside {@link #train}'s loop. */
    public interface Steps {

        /** Runs optimizer step {@code stepIndex} (0-based: steps already taken) over the plan's {@code slice}. */
        StepRunner.Outcome run(long stepIndex, TrainingPlan.Slice slice);

        /** After the step's metrics reached the trainer state and the callbacks (e.g. a recipe's extra metrics). */
        default void afterStep(StepMetrics metrics) {
        }

        /**
         * Evaluates on the eval set (called only when the setup has one) and reports it with
         * {@link #logEval}; returns the eval loss.
         */
        double evaluate(double epoch);
    }

    private final TrainingSetup setup;
    private final TrainingRequest request;
    private final Hyperparameters hp;
    private final String purpose;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path checkpoint;
    private LlamaModel model;
    private TextTokenizer tokenizer;
    private TrainingPlan plan;
    private LrSchedule schedule;
    private LoraAdapter adapter;
    private TrainableParameters params;
    private AdamW optimizer;
    private TrainerState state;
    private long globalStep;
    private Path lastCheckpoint;
    private List<String> carried = List.of();
    private TrainingCallback callback = new TrainingCallback() { };
    private TrainingCallback all = callback;

    private TrainingSession(TrainingSetup setup, String purpose) {
        this.setup = setup;
        this.request = setup.request();
        this.hp = request.hyperparameters();
        this.purpose = purpose;
    }

    /**
     * Opens a session ({@code OUTPUT}, resume check, model, tokenizer), lets {@code recipe} build on it, and closes
     * everything opened so far when anything fails.
     *
     * @param purpose what the run is, for the error message ("training", "preference training")
     * @throws UncheckedIOException "cannot set up {purpose}: …" when OUTPUT or training_args.json cannot be written
     * @throws IllegalArgumentException for a checkpoint that does not fit this request or dataset
     */
    public static <T> T assemble(TrainingSetup setup, String purpose, Function<TrainingSession, T> recipe) {
        TrainingSession session = new TrainingSession(setup, purpose);
        try {
            session.open();
            return recipe.apply(session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private void open() {
        try {
            Files.createDirectories(setup.outputDir());
            checkpoint = setup.resumeFrom() == null ? null : Checkpoint.resolve(setup.resumeFrom());
            if (checkpoint != null) {
                ResumeCheck.requireCompatible(checkpoint, request);
            }
            model = own(LlamaModel.load(setup.baseModel(), setup.device()));
            tokenizer = own(TextTokenizer.load(setup.baseModel()));
        } catch (IOException e) {
            throw setupFailed(e);
        }
    }

    private UncheckedIOException setupFailed(IOException e) {
        return new UncheckedIOException("cannot set up " + purpose + ": " + e.getMessage(), e);
    }

    /** The order of the examples, micro-batches and steps, and the learning-rate schedule over those steps. */
    public TrainingPlan plan(int[] lengths, boolean packing, int maxLength) {
        plan = TrainingPlan.of(lengths, hp.seed(), hp.epochs(), hp.batchSize(), hp.gradientAccumulation(), packing,
                maxLength);
        schedule = LrSchedule.of(hp.scheduler(), hp.learningRate(), hp.warmupSteps(), hp.warmupRatio(),
                plan.totalSteps());
        return plan;
    }

    /**
     * For qlora the frozen base becomes NF4 (its f32 weights freed) before LoRA wraps it; for lora/qlora the
     * adapter is attached, or loaded from the checkpoint being resumed.
     *
     * @return the adapter, or null for full fine-tuning (every weight trains)
     */
    public LoraAdapter attachTrainable() {
        if (request.adapter() == AdapterType.QLORA) {
            QuantizedModel quantized = own(QuantizedModel.quantize(model,
                    QuantizationConfig.from(request.quantization())));
            quantized.releaseDenseWeights(); // closed after the adapter (reverse order), as QuantizedModel requires
        }
        if (request.adapter().usesLora()) {
            adapter = own(checkpoint != null
                    ? LoraAdapter.load(checkpoint.resolve(Checkpoint.ADAPTER_DIR), model, hp.seed())
                    : LoraAdapter.attach(model, LoraConfig.from(request.lora()), hp.seed()));
        }
        return adapter;
    }

    /**
     * The trained arrays and AdamW (LoRA matrices all decay; in full fine-tuning biases and norm weights do not),
     * then the state: fresh, or the checkpoint's (full weights, optimizer moments, trainer state, checked to sit
     * at the plan's position); writes {@code training_args.json}.
     */
    public void startOrResume() {
        params = own(new TrainableParameters(adapter != null ? adapter.trainableParameters() : model.parameters()));
        optimizer = own(new AdamW(setup.device().device(), hp.weightDecay(),
                adapter != null ? name -> true : FULL_FINE_TUNING_DECAY));
        if (checkpoint != null) {
            if (adapter == null) {
                RunDirectory.loadFullWeights(checkpoint.resolve(Checkpoint.MODEL_DIR), params);
            }
            optimizer.load(checkpoint.resolve(Checkpoint.OPTIMIZER_FILE), params.master());
            state = TrainerState.read(checkpoint.resolve(Checkpoint.TRAINER_STATE_FILE));
            globalStep = state.globalStep();
            ResumeCheck.requireSamePosition(checkpoint, plan, globalStep);
        } else {
            state = TrainerState.start(plan, hp.checkpointSteps(), hp.evalSteps());
        }
        try {
            RunDirectory.writeArgs(setup.outputDir().resolve(Checkpoint.ARGS_FILE), request);
        } catch (IOException e) {
            throw setupFailed(e);
        }
    }

    /** Files of the run directory that every checkpoint takes a copy of, when they exist (e.g. stored log-probs). */
    public void carry(List<String> runFiles) {
        carried = List.copyOf(runFiles);
    }

    /** Closes {@code resource} with the session (in reverse order of owning); returns it. */
    public <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Trains to the end of the plan, or until {@code cancellation} is set (then after the current step a
     * checkpoint is written and the result says {@code cancelled}).
     *
     * @param log the run's metrics.jsonl, told everything before {@code callback}
     * @throws TrainingDivergedException when a step's loss or gradient norm is NaN/Inf (that step is not applied)
     */
    public TrainingResult train(TrainingCallback log, TrainingCallback callback, CancellationToken cancellation,
                                Steps steps) {
        this.callback = callback == null ? new TrainingCallback() { } : callback;
        all = TrainingCallback.all(log, this.callback);
        all.onTrainBegin(plan, globalStep);
        long startStep = globalStep;
        long start = System.nanoTime();
        long tokens = 0;
        double lastLoss = Double.NaN;
        Double lastEval = null;
        boolean cancelled = false;
        boolean evaluates = setup.evalData() != null;
        setTraining(true);
        while (globalStep < plan.totalSteps()) {
            TrainingPlan.Slice slice = plan.step(globalStep);
            if (adapter != null) {
                adapter.beginStep(globalStep);
            }
            long t0 = System.nanoTime();
            StepRunner.Outcome o = steps.run(globalStep, slice);
            double epoch = plan.epochAfter(globalStep);
            globalStep++;
            long now = System.nanoTime();
            tokens += o.tokens();
            double stepSeconds = (now - t0) / 1e9;
            double eta = (now - start) / 1e9 / (globalStep - startStep) * (plan.totalSteps() - globalStep);
            StepMetrics m = new StepMetrics(globalStep, plan.totalSteps(), epoch, o.loss(), o.learningRate(),
                    o.gradNorm(), o.tokens(), o.targetTokens(), o.tokens() / Math.max(stepSeconds, 1e-9), eta);
            lastLoss = o.loss();
            state.logStep(m);
            all.onStep(m);
            steps.afterStep(m);
            boolean last = globalStep == plan.totalSteps();
            if (!last && evaluates && hp.evalSteps() > 0 && globalStep % hp.evalSteps() == 0) {
                lastEval = steps.evaluate(epoch);
            }
            if (!last && hp.checkpointSteps() > 0 && globalStep % hp.checkpointSteps() == 0) {
                saveCheckpoint();
            }
            if (!last && cancellation != null && cancellation.isCancelled()) {
                cancelled = true;
                break;
            }
        }
        setTraining(false);
        if (!cancelled && evaluates) {
            lastEval = steps.evaluate(state.epoch());
        }
        if (lastCheckpoint == null || Checkpoint.stepOf(lastCheckpoint) != globalStep) {
            saveCheckpoint();
        }
        Path artifacts = cancelled ? null : RunDirectory.export(setup, adapter, params);
        TrainingResult result = new TrainingResult(globalStep, plan.totalSteps(), lastLoss, lastEval, cancelled,
                cancelled ? cancellation.reason() : null, lastCheckpoint, artifacts, (System.nanoTime() - start) / 1e9,
                tokens);
        all.onTrainEnd(result);
        return result;
    }

    private void setTraining(boolean training) {
        if (adapter != null) {
            adapter.setTraining(training);
        }
    }

    /** Runs {@code work} without the adapter's dropout, then puts its mode back. */
    public <T> T withoutDropout(Supplier<T> work) {
        boolean training = adapter != null && adapter.layers().values().stream().anyMatch(l -> l.training());
        setTraining(false);
        try {
            return work.get();
        } finally {
            if (adapter != null) {
                adapter.setTraining(training);
            }
        }
    }

    /** Records an eval loss at the current step in the trainer state and tells the callbacks; returns it. */
    public double logEval(double epoch, double loss, long tokens) {
        state.logEval(globalStep, epoch, loss);
        all.onEvalLoss(globalStep, epoch, loss, tokens);
        return loss;
    }

    /** Writes {@code OUTPUT/checkpoints/step-{globalStep}} (atomically) and tells the callback. */
    public Path saveCheckpoint() {
        Path dir = RunDirectory.writeCheckpoint(this, carried);
        lastCheckpoint = dir;
        callback.onCheckpoint(globalStep, dir);
        return dir;
    }

    /**
     * The sequence length examples are cut to: {@code maxSeqLength}, but never more than the model's
     * {@code max_position_embeddings} (the rotary tables end there), so that the request's default 2048 works on
     * a model with fewer positions.
     */
    public static int maxSeqLength(Hyperparameters hp, LlamaModel model) {
        return Math.min(hp.maxSeqLength(), model.config().maxPositionEmbeddings());
    }

    public int maxSeqLength() {
        return maxSeqLength(hp, model);
    }

    public TrainingSetup setup() {
        return setup;
    }

    /** The checkpoint being resumed, or null for a fresh run. */
    public Path resumedCheckpoint() {
        return checkpoint;
    }

    /** Where the recipe's metrics log goes: {@code OUTPUT/metrics.jsonl}. */
    public Path metricsFile() {
        return setup.outputDir().resolve(MetricsLog.FILE_NAME);
    }

    public LlamaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public TrainingPlan plan() {
        return plan;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    /** The adapter being trained, or null for full fine-tuning. */
    public LoraAdapter adapter() {
        return adapter;
    }

    public TrainableParameters parameters() {
        return params;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public TrainerState state() {
        return state;
    }

    public long globalStep() {
        return globalStep;
    }

    /** The caller's callback of the current {@link #train} call (a no-op one before). */
    public TrainingCallback callback() {
        return callback;
    }

    /** Closes what the session owns, last owned first; a failure to close one does not stop the others. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // already failing or closing; the first exception is the one to report
            }
        }
        resources.clear();
    }
}
