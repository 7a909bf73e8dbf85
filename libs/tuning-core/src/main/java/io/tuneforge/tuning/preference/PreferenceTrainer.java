package io.tuneforge.tuning.preference;

import ai.djl.ndarray.NDArray;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.CancellationToken;
import io.tuneforge.tuning.train.Checkpoint;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.MetricsLog;
import io.tuneforge.tuning.train.ResumeCheck;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.TrainableParameters;
import io.tuneforge.tuning.train.TrainerState;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingPlan;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.train.TrainingSetup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * DPO or ORPO preference tuning, LoRA / QLoRA or full, as one recipe in the shape of
 * {@link SftTrainer} (torchtune's {@code lora_dpo_single_device.py}): {@link #setup} / {@link #train} /
 * {@link #saveCheckpoint} / {@link #close}, composed of the training loop's pieces ({@link TrainingPlan},
 * {@link LrSchedule}, {@link AdamW}, {@link TrainableParameters}, {@link Checkpoint}, {@link TrainerState},
 * {@link TrainingCallback}, {@link CancellationToken}) and this package's ({@link PreferenceEncoder},
 * {@link PreferenceDataset}, {@link PreferenceCollator}, {@link PreferenceObjective}, {@link ReferencePolicy},
 * {@link PreferenceStepRunner}).
 *
 * <pre>
 * setup:  model ← baseModel (NF4 for qlora); encoder → train/eval preference datasets; plan; LoRA attached
 *         (or every weight trainable); DPO's reference: the adapter switched off (LoRA/QLoRA), a frozen copy
 *         (full), or log-probs precomputed once and stored (then the copy is closed); AdamW; schedule; state —
 *         or all of it from a checkpoint
 * train:  per step: adapter.beginStep → PreferenceStepRunner.run → StepMetrics + TRL metrics to callbacks and
 *         metrics.jsonl → eval every evalSteps → checkpoint every checkpointSteps → stop when cancelled;
 *         at the end eval, checkpoint, export (adapter/ or model/)
 * </pre>
 *
 * The request's {@code hyperparameters.beta} is DPO's β or ORPO's λ; {@link PreferenceOptions} holds the
 * knobs the request does not carry. A micro-batch of {@code batchSize} pairs is one forward pass over
 * 2·batchSize rows. The run happens on the calling thread.
 */
public final class PreferenceTrainer implements AutoCloseable {

    /** Reference log-probs of the eval pairs, beside {@link PrecomputedReference#FILE_NAME} of the train pairs. */
    public static final String EVAL_REFERENCE_FILE = ReferenceSetup.EVAL_FILE;

    private final TrainingSetup setup;
    private final TrainingRequest request;
    private final Hyperparameters hp;
    private final PreferenceOptions options;
    private final LlamaModel model;
    private final PreferenceDataset train;
    private final PreferenceDataset eval;
    private final TrainingPlan plan;
    private final LrSchedule schedule;
    private final LoraAdapter adapter;
    private final TrainableParameters params;
    private final AdamW optimizer;
    private final PreferenceObjective objective;
    private final ReferencePolicy trainReference;
    private final ReferencePolicy evalReference;
    private final PreferenceStepRunner runner;
    private final TrainerState state;
    private final PreferenceMetricsLog metrics;
    private final List<AutoCloseable> resources;
    private long globalStep;
    private Path lastCheckpoint;
    private Map<String, Double> lastMetrics = Map.of();
    private TrainingCallback callback = new TrainingCallback() { };

    private PreferenceTrainer(Parts p) {
        this.setup = p.setup;
        this.request = p.setup.request();
        this.hp = request.hyperparameters();
        this.options = p.options;
        this.model = p.model;
        this.train = p.train;
        this.eval = p.eval;
        this.plan = p.plan;
        this.schedule = p.schedule;
        this.adapter = p.adapter;
        this.params = p.params;
        this.optimizer = p.optimizer;
        this.objective = p.objective;
        this.trainReference = p.trainReference;
        this.evalReference = p.evalReference;
        this.state = p.state;
        this.globalStep = p.step;
        this.lastCheckpoint = p.checkpoint;
        this.resources = p.opened;
        this.runner = add(resources, new PreferenceStepRunner(model, params, optimizer, schedule, hp.maxGradNorm(),
                objective, trainReference, p.collator));
        this.metrics = add(resources, new PreferenceMetricsLog(setup.outputDir().resolve(MetricsLog.FILE_NAME),
                globalStep));
    }

    /** What {@link #setup} assembles, handed to the constructor in one piece. */
    private static final class Parts {
        TrainingSetup setup;
        PreferenceOptions options;
        LlamaModel model;
        TextTokenizer tokenizer;
        QuantizedModel quantized;
        PreferenceDataset train;
        PreferenceDataset eval;
        PreferenceCollator collator;
        TrainingPlan plan;
        LrSchedule schedule;
        LoraAdapter adapter;
        TrainableParameters params;
        AdamW optimizer;
        PreferenceObjective objective;
        ReferencePolicy trainReference;
        ReferencePolicy evalReference;
        TrainerState state;
        long step;
        Path checkpoint;
        final List<AutoCloseable> opened = new ArrayList<>();
    }

    /** {@link #setup(TrainingSetup, PreferenceOptions)} with {@link PreferenceOptions#defaults()}. */
    public static PreferenceTrainer setup(TrainingSetup setup) {
        return setup(setup, PreferenceOptions.defaults());
    }

    /**
     * Loads everything a run needs (and its state from {@code setup.resumeFrom()}, if given).
     *
     * @throws IllegalArgumentException for method sft, for a checkpoint that does not fit, or bad options
     */
    public static PreferenceTrainer setup(TrainingSetup setup, PreferenceOptions options) {
        TrainingRequest request = setup.request();
        PreferenceMethod method = PreferenceMethod.of(request.method());
        if (method == PreferenceMethod.ORPO && options.precomputeReference()) {
            throw new IllegalArgumentException("precomputeReference applies to DPO only; ORPO has no reference model");
        }
        Hyperparameters hp = request.hyperparameters();
        if (hp.packing()) {
            throw new IllegalArgumentException("packing is not supported for dpo/orpo: each pair's two answers are"
                    + " compared row by row; set hyperparameters.packing to false");
        }
        Parts p = new Parts();
        p.setup = setup;
        p.options = options;
        try {
            Files.createDirectories(setup.outputDir());
            p.checkpoint = setup.resumeFrom() == null ? null : Checkpoint.resolve(setup.resumeFrom());
            if (p.checkpoint != null) {
                ResumeCheck.requireCompatible(p.checkpoint, request);
            }
            p.model = add(p.opened, LlamaModel.load(setup.baseModel(), setup.device()));
            p.tokenizer = add(p.opened, TextTokenizer.load(setup.baseModel()));
            int maxLength = SftTrainer.maxSeqLength(hp, p.model); // never past the model's positions, as in SFT
            PreferenceEncoder encoder = new PreferenceEncoder(p.tokenizer, ChatTemplate.of(p.tokenizer), maxLength,
                    options.maxPromptLength(maxLength));
            p.train = PreferenceDataset.load(setup.trainData(), encoder);
            p.eval = setup.evalData() == null ? null : PreferenceDataset.load(setup.evalData(), encoder);
            p.collator = new PreferenceCollator(Math.toIntExact(p.tokenizer.specialTokens().padIdOrEos()), maxLength);
            p.plan = TrainingPlan.of(p.train.lengths(), hp.seed(), hp.epochs(), hp.batchSize(),
                    hp.gradientAccumulation(), false, maxLength);
            p.schedule = LrSchedule.of(hp.scheduler(), hp.learningRate(), hp.warmupSteps(), hp.warmupRatio(),
                    p.plan.totalSteps());

            Map<String, NDArray> trainable;
            if (request.adapter() != AdapterType.NONE) {
                if (request.adapter() == AdapterType.QLORA) {
                    p.quantized = add(p.opened, QuantizedModel.quantize(p.model,
                            QuantizationConfig.from(request.quantization())));
                    p.quantized.releaseDenseWeights(); // the base lives as NF4 only; the reference is that base too
                }
                p.adapter = add(p.opened, p.checkpoint != null
                        ? LoraAdapter.load(p.checkpoint.resolve(Checkpoint.ADAPTER_DIR), p.model, hp.seed())
                        : LoraAdapter.attach(p.model, LoraConfig.from(request.lora()), hp.seed()));
                trainable = p.adapter.trainableParameters();
            } else {
                trainable = p.model.parameters();
            }
            if (method.needsReference()) {
                ReferenceSetup references = add(p.opened, ReferenceSetup.of(setup, p.adapter,
                        options.precomputeReference(), p.train, p.eval, p.collator, p.checkpoint));
                p.trainReference = references.train();
                p.evalReference = references.eval();
            }
            p.params = add(p.opened, new TrainableParameters(trainable));
            p.optimizer = add(p.opened, new AdamW(setup.device().device(), hp.weightDecay(),
                    p.adapter != null ? name -> true : SftTrainer.FULL_FINE_TUNING_DECAY));
            p.objective = add(p.opened, PreferenceObjective.of(method, hp.beta(), options.labelSmoothing(),
                    setup.device().device()));
            if (p.checkpoint != null) {
                if (p.adapter == null) {
                    PreferenceRunFiles.loadFullWeights(p.checkpoint.resolve(Checkpoint.MODEL_DIR), p.params);
                }
                p.optimizer.load(p.checkpoint.resolve(Checkpoint.OPTIMIZER_FILE), p.params.master());
                p.state = TrainerState.read(p.checkpoint.resolve(Checkpoint.TRAINER_STATE_FILE));
                p.step = p.state.globalStep();
                ResumeCheck.requireSamePosition(p.checkpoint, p.plan, p.step);
            } else {
                p.state = TrainerState.start(p.plan, hp.checkpointSteps(), hp.evalSteps());
            }
            SftTrainer.writeArgs(setup.outputDir().resolve(Checkpoint.ARGS_FILE), request);
            return new PreferenceTrainer(p);
        } catch (IOException e) {
            closeAll(p.opened);
            throw new UncheckedIOException("cannot set up preference training: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(p.opened);
            throw e;
        }
    }

    /**
     * Trains to the end of the plan, or until {@code cancellation} is set (then after the current step a
     * checkpoint is written and the result says {@code cancelled}). A {@link PreferenceCallback} also receives the
     * preference metrics of every step and evaluation.
     *
     * @throws io.tuneforge.tuning.train.TrainingDivergedException when a step's loss or gradient norm is NaN/Inf
     */
    public TrainingResult train(TrainingCallback callback, CancellationToken cancellation) {
        this.callback = callback == null ? new TrainingCallback() { } : callback;
        TrainingCallback all = TrainingCallback.all(metrics, this.callback);
        all.onTrainBegin(plan, globalStep);
        long startStep = globalStep;
        long start = System.nanoTime();
        long tokens = 0;
        double lastLoss = Double.NaN;
        Double lastEval = null;
        boolean cancelled = false;
        if (adapter != null) {
            adapter.setTraining(true);
        }
        while (globalStep < plan.totalSteps()) {
            TrainingPlan.Slice slice = plan.step(globalStep);
            if (adapter != null) {
                adapter.beginStep(globalStep);
            }
            List<PreferenceStepRunner.Micro> micros = new ArrayList<>(slice.microBatches());
            for (int i = 0; i < slice.microBatches(); i++) {
                micros.add(micro(train, plan.microBatch(slice.epoch(), slice.firstMicroBatch() + i)));
            }
            long t0 = System.nanoTime();
            PreferenceStepRunner.Outcome o = runner.run(globalStep, micros);
            double epoch = plan.epochAfter(globalStep);
            globalStep++;
            long now = System.nanoTime();
            tokens += o.tokens();
            double stepSeconds = (now - t0) / 1e9;
            double eta = (now - start) / 1e9 / (globalStep - startStep) * (plan.totalSteps() - globalStep);
            StepMetrics m = new StepMetrics(globalStep, plan.totalSteps(), epoch, o.loss(), o.learningRate(),
                    o.gradNorm(), o.tokens(), o.targetTokens(), o.tokens() / Math.max(stepSeconds, 1e-9), eta);
            lastLoss = o.loss();
            lastMetrics = o.metrics();
            state.logStep(m);
            all.onStep(m);
            preference(c -> c.onPreferenceMetrics(m.step(), o.metrics()));
            boolean last = globalStep == plan.totalSteps();
            if (!last && eval != null && hp.evalSteps() > 0 && globalStep % hp.evalSteps() == 0) {
                lastEval = evaluate(all, epoch);
            }
            if (!last && hp.checkpointSteps() > 0 && globalStep % hp.checkpointSteps() == 0) {
                saveCheckpoint();
            }
            if (!last && cancellation != null && cancellation.isCancelled()) {
                cancelled = true;
                break;
            }
        }
        if (adapter != null) {
            adapter.setTraining(false);
        }
        if (!cancelled && eval != null) {
            lastEval = evaluate(all, state.epoch());
        }
        if (lastCheckpoint == null || Checkpoint.stepOf(lastCheckpoint) != globalStep) {
            saveCheckpoint();
        }
        Path artifacts = cancelled ? null : PreferenceRunFiles.export(setup, adapter, params);
        TrainingResult result = new TrainingResult(globalStep, plan.totalSteps(), lastLoss, lastEval, cancelled,
                cancelled ? cancellation.reason() : null, lastCheckpoint, artifacts, (System.nanoTime() - start) / 1e9,
                tokens);
        all.onTrainEnd(result);
        return result;
    }

    /** Hands the preference metrics to the metrics log and, if it listens for them, the caller's callback. */
    private void preference(Consumer<PreferenceCallback> call) {
        call.accept(metrics);
        if (callback instanceof PreferenceCallback p) {
            call.accept(p);
        }
    }

    private static PreferenceStepRunner.Micro micro(PreferenceDataset data, List<List<Integer>> rows) {
        int[] indices = rows.stream().mapToInt(row -> row.get(0)).toArray();
        List<PreferenceExample> pairs = new ArrayList<>(indices.length);
        for (int i : indices) {
            pairs.add(data.get(i));
        }
        return new PreferenceStepRunner.Micro(pairs, indices);
    }

    /**
     * The preference metrics over a whole dataset without gradients or dropout (TRL's evaluation), with the
     * reference that belongs to it. Used for the eval set; public so that a caller can measure the training set
     * too ({@code rewards/accuracies} after training).
     *
     * @param reference for DPO, a reference for these pairs; null uses the live reference (not with precomputed
     *     log-probs, which belong to one dataset)
     */
    public PreferenceMetrics evaluate(PreferenceDataset data, ReferencePolicy reference) {
        ReferencePolicy ref = reference != null ? reference : liveReference(data);
        boolean training = adapter != null && adapter.layers().values().stream().anyMatch(l -> l.training());
        if (adapter != null) {
            adapter.setTraining(false);
        }
        try {
            List<PreferenceStepRunner.Micro> micros = new ArrayList<>();
            for (int first = 0; first < data.size(); first += hp.batchSize()) {
                List<List<Integer>> rows = new ArrayList<>();
                for (int i = first; i < Math.min(data.size(), first + hp.batchSize()); i++) {
                    rows.add(List.of(i));
                }
                micros.add(micro(data, rows));
            }
            return runner.evaluate(micros, ref);
        } finally {
            if (adapter != null) {
                adapter.setTraining(training);
            }
        }
    }

    private ReferencePolicy liveReference(PreferenceDataset data) {
        if (!objective.method().needsReference()) {
            return null;
        }
        if (data == train && !(trainReference instanceof PrecomputedReference)) {
            return trainReference;
        }
        if (data == eval && evalReference != null) {
            return evalReference;
        }
        if (adapter != null) {
            return new AdapterOffReference(adapter);
        }
        throw new IllegalArgumentException("evaluating DPO on other pairs needs their reference log-probs; pass a"
                + " ReferencePolicy (e.g. FrozenModelReference of the base model)");
    }

    private double evaluate(TrainingCallback all, double epoch) {
        PreferenceMetrics m = evaluate(eval, evalReference);
        double loss = m.loss();
        long tokens = 0;
        for (int i = 0; i < eval.size(); i++) {
            PreferenceExample e = eval.get(i);
            tokens += e.chosenTargets() + e.rejectedTargets();
        }
        state.logEval(globalStep, epoch, loss);
        all.onEvalLoss(globalStep, epoch, loss, tokens);
        Map<String, Double> named = m.toMap("eval_");
        preference(c -> c.onPreferenceEval(globalStep, named));
        return loss;
    }

    /** Writes {@code OUTPUT/checkpoints/step-{globalStep}} (atomically) and tells the callback. */
    public Path saveCheckpoint() {
        Path dir = PreferenceRunFiles.writeCheckpoint(setup, globalStep, plan, adapter, params, optimizer, schedule,
                state);
        lastCheckpoint = dir;
        callback.onCheckpoint(globalStep, dir);
        return dir;
    }

    /** The knobs beyond the request this run uses. */
    public PreferenceOptions options() {
        return options;
    }

    /** The sequence length pairs are cut to: maxSeqLength, at most the model's positions. */
    public int maxSeqLength() {
        return SftTrainer.maxSeqLength(hp, model);
    }

    public PreferenceMethod method() {
        return objective.method();
    }

    public TrainingPlan plan() {
        return plan;
    }

    public long globalStep() {
        return globalStep;
    }

    public LlamaModel model() {
        return model;
    }

    /** The adapter being trained, or null for full fine-tuning. */
    public LoraAdapter adapter() {
        return adapter;
    }

    public TrainableParameters parameters() {
        return params;
    }

    public TrainerState state() {
        return state;
    }

    /** The training pairs (with the records skipped, each with line and reason). */
    public PreferenceDataset trainData() {
        return train;
    }

    /** The eval pairs, or null. */
    public PreferenceDataset evalData() {
        return eval;
    }

    /** DPO's reference for the training pairs, or null for ORPO. */
    public ReferencePolicy reference() {
        return trainReference;
    }

    /** TRL-named metrics of the last step (empty before the first). */
    public Map<String, Double> lastMetrics() {
        return lastMetrics;
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // already failing or closing; the first exception is the one to report
            }
        }
    }

    /** Closes the runner, log, objective, optimizer, parameters, reference, adapter, NF4 base, tokenizer and model. */
    @Override
    public void close() {
        closeAll(resources);
    }
}
