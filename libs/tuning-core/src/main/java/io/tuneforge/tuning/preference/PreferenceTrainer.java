package io.tuneforge.tuning.preference;

import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.CancellationToken;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.StepMetrics;
import io.tuneforge.tuning.train.StepRunner;
import io.tuneforge.tuning.train.TrainableParameters;
import io.tuneforge.tuning.train.TrainerState;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingPlan;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.train.TrainingSession;
import io.tuneforge.tuning.train.TrainingSetup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * DPO or ORPO preference tuning, LoRA / QLoRA or full, as one recipe in the shape of
 * {@link SftTrainer} (torchtune's {@code lora_dpo_single_device.py}): {@link #setup} / {@link #train} /
 * {@link #saveCheckpoint} / {@link #close}. The lifecycle it shares with SFT (model, plan, LoRA or QLoRA or full,
 * AdamW, checkpoint/resume, the loop, export, cleanup) is {@link TrainingSession}'s; this class adds what is
 * preference tuning's own: {@link PreferenceEncoder}, {@link PreferenceDataset}, {@link PreferenceCollator},
 * {@link PreferenceObjective}, DPO's {@link ReferencePolicy} (set up between the adapter and the optimizer, its
 * stored log-probs carried into every checkpoint), {@link PreferenceStepRunner} and {@link PreferenceMetricsLog}.
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

    private final TrainingSession session;
    private final Hyperparameters hp;
    private final PreferenceOptions options;
    private final PreferenceDataset train;
    private final PreferenceDataset eval;
    private final PreferenceObjective objective;
    private final ReferencePolicy trainReference;
    private final ReferencePolicy evalReference;
    private final PreferenceStepRunner runner;
    private final PreferenceMetricsLog metrics;
    private Map<String, Double> lastMetrics = Map.of();

    private PreferenceTrainer(TrainingSession session, PreferenceOptions options, PreferenceDataset train,
                              PreferenceDataset eval, PreferenceCollator collator, PreferenceObjective objective,
                              ReferenceSetup references) {
        this.session = session;
        this.hp = session.setup().request().hyperparameters();
        this.options = options;
        this.train = train;
        this.eval = eval;
        this.objective = objective;
        this.trainReference = references == null ? null : references.train();
        this.evalReference = references == null ? null : references.eval();
        this.runner = session.own(new PreferenceStepRunner(session.model(), session.parameters(),
                session.optimizer(), session.schedule(), hp.maxGradNorm(), objective, trainReference, collator));
        this.metrics = session.own(new PreferenceMetricsLog(session.metricsFile(), session.globalStep()));
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
        return TrainingSession.assemble(setup, "preference training", session -> {
            TextTokenizer tokenizer = session.tokenizer();
            int maxLength = session.maxSeqLength(); // never past the model's positions, as in SFT
            PreferenceEncoder encoder = new PreferenceEncoder(tokenizer, ChatTemplate.of(tokenizer), maxLength,
                    options.maxPromptLength(maxLength));
            PreferenceDataset train = PreferenceDataset.load(setup.trainData(), encoder);
            PreferenceDataset eval = setup.evalData() == null ? null
                    : PreferenceDataset.load(setup.evalData(), encoder);
            int pad = Math.toIntExact(tokenizer.specialTokens().padIdOrEos());
            PreferenceCollator collator = new PreferenceCollator(pad, maxLength);
            session.plan(train.lengths(), false, maxLength);
            LoraAdapter adapter = session.attachTrainable(); // qlora: the reference is that NF4 base too
            ReferenceSetup references = !method.needsReference() ? null : session.own(ReferenceSetup.of(setup,
                    adapter, options.precomputeReference(), train, eval, collator, session.resumedCheckpoint()));
            session.startOrResume();
            session.carry(ReferenceSetup.fileNames()); // stored log-probs: a checkpoint resumes without recomputing
            PreferenceObjective objective = session.own(PreferenceObjective.of(method, hp.beta(),
                    options.labelSmoothing(), setup.device().device()));
            return new PreferenceTrainer(session, options, train, eval, collator, objective, references);
        });
    }

    /**
     * Trains to the end of the plan, or until {@code cancellation} is set (then after the current step a
     * checkpoint is written and the result says {@code cancelled}). A {@link PreferenceCallback} also receives the
     * preference metrics of every step and evaluation.
     *
     * @throws io.tuneforge.tuning.train.TrainingDivergedException when a step's loss or gradient norm is NaN/Inf
     */
    public TrainingResult train(TrainingCallback callback, CancellationToken cancellation) {
        TrainingPlan plan = session.plan();
        return session.train(metrics, callback, cancellation, new TrainingSession.Steps() {
            @Override
            public StepRunner.Outcome run(long stepIndex, TrainingPlan.Slice slice) {
                List<PreferenceStepRunner.Micro> micros = new ArrayList<>(slice.microBatches());
                for (int i = 0; i < slice.microBatches(); i++) {
                    micros.add(micro(train, plan.microBatch(slice.epoch(), slice.firstMicroBatch() + i)));
                }
                PreferenceStepRunner.Outcome o = runner.run(stepIndex, micros);
                lastMetrics = o.metrics();
                return new StepRunner.Outcome(o.loss(), o.gradNorm(), o.learningRate(), o.tokens(), o.targetTokens());
            }

            @Override
            public void afterStep(StepMetrics m) {
                Map<String, Double> named = lastMetrics;
                preference(c -> c.onPreferenceMetrics(m.step(), named));
            }

            @Override
            public double evaluate(double epoch) {
                return PreferenceTrainer.this.evaluate(epoch);
            }
        });
    }

    /** Hands the preference metrics to the metrics log and, if it listens for them, the caller's callback. */
    private void preference(Consumer<PreferenceCallback> call) {
        call.accept(metrics);
        if (session.callback() instanceof PreferenceCallback p) {
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
        return session.withoutDropout(() -> {
            List<PreferenceStepRunner.Micro> micros = new ArrayList<>();
            for (int first = 0; first < data.size(); first += hp.batchSize()) {
                List<List<Integer>> rows = new ArrayList<>();
                for (int i = first; i < Math.min(data.size(), first + hp.batchSize()); i++) {
                    rows.add(List.of(i));
                }
                micros.add(micro(data, rows));
            }
            return runner.evaluate(micros, ref);
        });
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
        if (session.adapter() != null) {
            return new AdapterOffReference(session.adapter());
        }
        throw new IllegalArgumentException("evaluating DPO on other pairs needs their reference log-probs; pass a"
                + " ReferencePolicy (e.g. FrozenModelReference of the base model)");
    }

    private double evaluate(double epoch) {
        PreferenceMetrics m = evaluate(eval, evalReference);
        long tokens = 0;
        for (int i = 0; i < eval.size(); i++) {
            PreferenceExample e = eval.get(i);
            tokens += e.chosenTargets() + e.rejectedTargets();
        }
        double loss = session.logEval(epoch, m.loss(), tokens);
        Map<String, Double> named = m.toMap("eval_");
        preference(c -> c.onPreferenceEval(session.globalStep(), named));
        return loss;
    }

    /** Writes {@code OUTPUT/checkpoints/step-{globalStep}} (atomically) and tells the callback. */
    public Path saveCheckpoint() {
        return session.saveCheckpoint();
    }

    /** The knobs beyond the request this run uses. */
    public PreferenceOptions options() {
        return options;
    }

    /** The sequence length pairs are cut to: maxSeqLength, at most the model's positions. */
    public int maxSeqLength() {
        return session.maxSeqLength();
    }

    public PreferenceMethod method() {
        return objective.method();
    }

    public TrainingPlan plan() {
        return session.plan();
    }

    public long globalStep() {
        return session.globalStep();
    }

    public LlamaModel model() {
        return session.model();
    }

    /** The adapter being trained, or null for full fine-tuning. */
    public LoraAdapter adapter() {
        return session.adapter();
    }

    public TrainableParameters parameters() {
        return session.parameters();
    }

    public TrainerState state() {
        return session.state();
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

    /** Closes the runner, log, objective, optimizer, parameters, reference, adapter, NF4 base, tokenizer and model. */
    @Override
    public void close() {
        session.close();
    }
}
