package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.SftDataset;
import io.tuneforge.tuning.data.SftEncoder;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Supervised fine-tuning, LoRA or full, as one readable recipe (torchtune's
 * {@code lora_finetune_single_device.py} shape): {@link #setup} / {@link #train} /
 * {@link #saveCheckpoint} / {@link #close}. The lifecycle it shares with preference tuning (model, plan, LoRA or
 * QLoRA or full, AdamW, checkpoint/resume, the loop, export, cleanup) is {@link TrainingSession}'s; this class adds
 * what is SFT's own: {@link SftEncoder}, {@link SftDataset}, {@link BatchCollator}, the causal-LM loss through
 * {@link StepRunner}, the eval loss and {@link MetricsLog}.
 *
 * <pre>
 * setup:  session (model ← baseModel, tokenizer); chat template → encoder → train/eval datasets → collator;
 *         session plan (order, rows, micro-batches, steps); LoRA attached (or every weight trainable); AdamW;
 *         schedule; state — or all of it from a checkpoint
 * train:  for each step: (adapter.beginStep) → StepRunner.run → log / callbacks → eval every evalSteps →
 *         checkpoint every checkpointSteps → stop early when cancelled; at the end eval, checkpoint, export
 * </pre>
 *
 * Output directory: {@code checkpoints/step-{n}/} ({@link Checkpoint}), {@code adapter/} (PEFT files) or
 * {@code model/} (Hugging Face layout with the tokenizer files), {@code metrics.jsonl} ({@link MetricsLog}),
 * {@code training_args.json}.
 *
 * <p>Weight decay follows Hugging Face's Trainer: LoRA matrices all decay; in full fine-tuning biases and
 * norm weights do not. The run happens on the calling thread.
 */
public final class SftTrainer implements AutoCloseable {

    static final ObjectMapper JSON = RunDirectory.JSON;

    /** Hugging Face Trainer's grouping: every weight decays except biases and norm weights. */
    public static final Predicate<String> FULL_FINE_TUNING_DECAY = TrainingSession.FULL_FINE_TUNING_DECAY;

    private final TrainingSession session;
    private final Hyperparameters hp;
    private final SftDataset train;
    private final SftDataset eval;
    private final BatchCollator collator;
    private final StepRunner runner;
    private final MetricsLog metrics;

    private SftTrainer(TrainingSession session, SftDataset train, SftDataset eval, BatchCollator collator) {
        this.session = session;
        this.hp = session.setup().request().hyperparameters();
        this.train = train;
        this.eval = eval;
        this.collator = collator;
        this.runner = session.own(new StepRunner(session.model(), session.parameters(), session.optimizer(),
                session.schedule(), hp.maxGradNorm()));
        this.metrics = session.own(new MetricsLog(session.metricsFile(), session.globalStep()));
    }

    /**
     * Loads everything a run needs (and its state from {@code setup.resumeFrom()}, if given).
     *
     * @throws UnsupportedOperationException for DPO/ORPO, which train with PreferenceTrainer
     * @throws IllegalArgumentException for a checkpoint that does not fit this request or dataset
     */
    public static SftTrainer setup(TrainingSetup setup) {
        TrainingRequest request = setup.request();
        requireSupported(request);
        Hyperparameters hp = request.hyperparameters();
        return TrainingSession.assemble(setup, "training", session -> {
            TextTokenizer tokenizer = session.tokenizer();
            int maxLength = session.maxSeqLength();
            SftEncoder encoder = new SftEncoder(tokenizer, ChatTemplate.of(tokenizer), maxLength, hp.trainOnPrompt());
            SftDataset train = SftDataset.load(setup.trainData(), encoder);
            SftDataset eval = setup.evalData() == null ? null : SftDataset.load(setup.evalData(), encoder);
            BatchCollator collator = new BatchCollator(Math.toIntExact(tokenizer.specialTokens().padIdOrEos()),
                    hp.packing(), maxLength);
            session.plan(train.lengths(), hp.packing(), maxLength);
            session.attachTrainable();
            session.startOrResume();
            return new SftTrainer(session, train, eval, collator);
        });
    }

    /** The sequence length this run cuts examples to: maxSeqLength, at most the model's positions. */
    public int maxSeqLength() {
        return session.maxSeqLength();
    }

    /** SftTrainer trains method 'sft' (LoRA, QLoRA or full); DPO/ORPO train with PreferenceTrainer. */
    public static void requireSupported(TrainingRequest request) {
        if (request.method() != TrainingMethod.SFT) {
            throw new UnsupportedOperationException("method '" + request.method().wireName()
                    + "' trains with io.tuneforge.tuning.preference.PreferenceTrainer; SftTrainer trains method 'sft'");
        }
    }

    /**
     * Trains to the end of the plan, or until {@code cancellation} is set (then after the current step a
     * checkpoint is written and the result says {@code cancelled}).
     *
     * @throws TrainingDivergedException when a step's loss or gradient norm is NaN/Inf (that step is not applied)
     */
    public TrainingResult train(TrainingCallback callback, CancellationToken cancellation) {
        TrainingPlan plan = session.plan();
        return session.train(metrics, callback, cancellation, new TrainingSession.Steps() {
            @Override
            public StepRunner.Outcome run(long stepIndex, TrainingPlan.Slice slice) {
                return runner.run(stepIndex, slice.microBatches(), (i, manager) ->
                        collate(plan.microBatch(slice.epoch(), slice.firstMicroBatch() + i), manager));
            }

            @Override
            public double evaluate(double epoch) {
                return SftTrainer.this.evaluate(epoch);
            }
        });
    }

    private Batch collate(List<List<Integer>> rows, NDManager manager) {
        List<List<TokenizedExample>> examples = new ArrayList<>(rows.size());
        for (List<Integer> row : rows) {
            examples.add(row.stream().map(train::get).toList());
        }
        return collator.collateRows(examples, manager);
    }

    /** Mean token NLL over the whole eval set, without gradients and without dropout. */
    private double evaluate(double epoch) {
        double[] sums = session.withoutDropout(this::evalSums);
        double loss = sums[1] == 0 ? Double.NaN : sums[0] / sums[1];
        return session.logEval(epoch, loss, (long) sums[1]);
    }

    /** {Σ NLL, Σ target tokens} over the eval set, in batches of batchSize examples. */
    private double[] evalSums() {
        double sum = 0;
        long count = 0;
        try (NDManager root = NDManager.newBaseManager(session.setup().device().device())) {
            for (int first = 0; first < eval.size(); first += hp.batchSize()) {
                List<List<TokenizedExample>> rows = new ArrayList<>();
                for (int i = first; i < Math.min(eval.size(), first + hp.batchSize()); i++) {
                    rows.add(List.of(eval.get(i)));
                }
                try (NDManager m = root.newSubManager(); Batch batch = collator.collateRows(rows, m)) {
                    double[] s = StepRunner.evalSums(session.model(), batch);
                    sum += s[0];
                    count += (long) s[1];
                }
            }
        }
        return new double[] {sum, count};
    }

    /** Writes {@code OUTPUT/checkpoints/step-{globalStep}} (atomically) and tells the callback. */
    public Path saveCheckpoint() {
        return session.saveCheckpoint();
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

    /** Records the training set skipped (each with line and reason) — report them, nothing is dropped silently. */
    public SftDataset trainData() {
        return train;
    }

    /** The eval set, or null. */
    public SftDataset evalData() {
        return eval;
    }

    /** Closes the metrics log, step runner, optimizer, parameters, adapter, NF4 base, tokenizer and model. */
    @Override
    public void close() {
        session.close();
    }
}
