package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.AdapterType;
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
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.weights.SafetensorsReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Supervised fine-tuning, LoRA or full, as one readable recipe (torchtune's
 * {@code lora_finetune_single_device.py} shape): {@link #setup} / {@link #train} /
 * {@link #saveCheckpoint} / {@link #close}, composed of {@link LoraAdapter}, {@link SftEncoder},
 * {@link SftDataset}, {@link BatchCollator}, the causal-LM loss, {@link AdamW}, {@link LrSchedule},
 * {@link GradientClipper} and {@link StepRunner}.
 *
 * <pre>
 * setup:  model ← baseModel; tokenizer + chat template → encoder → train/eval datasets; plan (order, rows,
 *         micro-batches, steps); LoRA attached (or every weight trainable); AdamW; schedule; state — or all
 *         of it from a checkpoint
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

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Hugging Face Trainer's grouping: every weight decays except biases and norm weights. */
    public static final Predicate<String> FULL_FINE_TUNING_DECAY =
            name -> !name.endsWith(".bias") && !name.contains("norm");

    private final TrainingSetup setup;
    private final TrainingRequest request;
    private final Hyperparameters hp;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final SftDataset train;
    private final SftDataset eval;
    private final BatchCollator collator;
    private final TrainingPlan plan;
    private final LrSchedule schedule;
    private final QuantizedModel quantized; // null unless adapter 'qlora'
    private final LoraAdapter adapter;
    private final TrainableParameters params;
    private final AdamW optimizer;
    private final StepRunner runner;
    private final TrainerState state;
    private final MetricsLog metrics;
    private long globalStep;
    private Path lastCheckpoint;
    private TrainingCallback callback = new TrainingCallback() { };

    private SftTrainer(TrainingSetup setup, LlamaModel model, TextTokenizer tokenizer, SftDataset train,
                       SftDataset eval, BatchCollator collator, TrainingPlan plan, LrSchedule schedule,
                       QuantizedModel quantized, LoraAdapter adapter, TrainableParameters params, AdamW optimizer,
                       TrainerState state, long globalStep, Path lastCheckpoint) {
        this.setup = setup;
        this.quantized = quantized;
        this.request = setup.request();
        this.hp = request.hyperparameters();
        this.model = model;
        this.tokenizer = tokenizer;
        this.train = train;
        this.eval = eval;
        this.collator = collator;
        this.plan = plan;
        this.schedule = schedule;
        this.adapter = adapter;
        this.params = params;
        this.optimizer = optimizer;
        this.state = state;
        this.globalStep = globalStep;
        this.lastCheckpoint = lastCheckpoint;
        this.runner = new StepRunner(model, params, optimizer, schedule, hp.maxGradNorm());
        this.metrics = new MetricsLog(setup.outputDir().resolve(MetricsLog.FILE_NAME), globalStep);
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
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(setup.outputDir());
            Path checkpoint = setup.resumeFrom() == null ? null : Checkpoint.resolve(setup.resumeFrom());
            if (checkpoint != null) {
                ResumeCheck.requireCompatible(checkpoint, request);
            }
            LlamaModel model = add(opened, LlamaModel.load(setup.baseModel(), setup.device()));
            TextTokenizer tokenizer = add(opened, TextTokenizer.load(setup.baseModel()));
            int maxLength = maxSeqLength(hp, model);
            SftEncoder encoder = new SftEncoder(tokenizer, ChatTemplate.of(tokenizer), maxLength, hp.trainOnPrompt());
            SftDataset train = SftDataset.load(setup.trainData(), encoder);
            SftDataset eval = setup.evalData() == null ? null : SftDataset.load(setup.evalData(), encoder);
            BatchCollator collator = new BatchCollator(Math.toIntExact(tokenizer.specialTokens().padIdOrEos()),
                    hp.packing(), maxLength);
            TrainingPlan plan = TrainingPlan.of(train.lengths(), hp.seed(), hp.epochs(), hp.batchSize(),
                    hp.gradientAccumulation(), hp.packing(), maxLength);
            LrSchedule schedule = LrSchedule.of(hp.scheduler(), hp.learningRate(), hp.warmupSteps(), hp.warmupRatio(),
                    plan.totalSteps());

            QuantizedModel quantized = null;
            if (request.adapter() == AdapterType.QLORA) {
                // QLoRA: the frozen base becomes NF4 before LoRA wraps it; its f32 weights are freed.
                quantized = add(opened, QuantizedModel.quantize(model, QuantizationConfig.from(request.quantization())));
                quantized.releaseDenseWeights();
            }
            LoraAdapter adapter = null;
            Map<String, NDArray> trainable;
            if (request.adapter().usesLora()) {
                adapter = add(opened, checkpoint != null
                        ? LoraAdapter.load(checkpoint.resolve(Checkpoint.ADAPTER_DIR), model, hp.seed())
                        : LoraAdapter.attach(model, LoraConfig.from(request.lora()), hp.seed()));
                trainable = adapter.trainableParameters();
            } else {
                trainable = model.parameters();
            }
            TrainableParameters params = add(opened, new TrainableParameters(trainable));
            Predicate<String> decays = adapter != null ? name -> true : FULL_FINE_TUNING_DECAY;
            AdamW optimizer = add(opened, new AdamW(setup.device().device(), hp.weightDecay(), decays));

            TrainerState state;
            long step = 0;
            if (checkpoint != null) {
                if (adapter == null) {
                    loadFullWeights(checkpoint.resolve(Checkpoint.MODEL_DIR), params);
                }
                optimizer.load(checkpoint.resolve(Checkpoint.OPTIMIZER_FILE), params.master());
                state = TrainerState.read(checkpoint.resolve(Checkpoint.TRAINER_STATE_FILE));
                step = state.globalStep();
                ResumeCheck.requireSamePosition(checkpoint, plan, step);
            } else {
                state = TrainerState.start(plan, hp.checkpointSteps(), hp.evalSteps());
            }
            writeArgs(setup.outputDir().resolve(Checkpoint.ARGS_FILE), request);
            return new SftTrainer(setup, model, tokenizer, train, eval, collator, plan, schedule, quantized, adapter,
                    params, optimizer, state, step, checkpoint);
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot set up training: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * The sequence length examples are cut to: {@code maxSeqLength}, but never more than the model's
     * {@code max_position_embeddings} (the rotary tables end there), so that the request's default 2048 works on
     * a model with fewer positions.
     */
    public static int maxSeqLength(Hyperparameters hp, LlamaModel model) {
        return Math.min(hp.maxSeqLength(), model.config().maxPositionEmbeddings());
    }

    /** The sequence length this run cuts examples to ({@link #maxSeqLength(Hyperparameters, LlamaModel)}). */
    public int maxSeqLength() {
        return maxSeqLength(hp, model);
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
            long t0 = System.nanoTime();
            StepRunner.Outcome o = runner.run(globalStep, slice.microBatches(), (i, manager) ->
                    collate(plan.microBatch(slice.epoch(), slice.firstMicroBatch() + i), manager));
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
        Path artifacts = cancelled ? null : exportFinal();
        TrainingResult result = new TrainingResult(globalStep, plan.totalSteps(), lastLoss, lastEval, cancelled,
                cancelled ? cancellation.reason() : null, lastCheckpoint, artifacts, (System.nanoTime() - start) / 1e9,
                tokens);
        all.onTrainEnd(result);
        return result;
    }

    private Batch collate(List<List<Integer>> rows, NDManager manager) {
        List<List<TokenizedExample>> examples = new ArrayList<>(rows.size());
        for (List<Integer> row : rows) {
            examples.add(row.stream().map(train::get).toList());
        }
        return collator.collateRows(examples, manager);
    }

    /** Mean token NLL over the whole eval set, without gradients and without dropout. */
    private double evaluate(TrainingCallback all, double epoch) {
        boolean training = adapter != null && adapter.layers().values().stream().anyMatch(l -> l.training());
        if (adapter != null) {
            adapter.setTraining(false);
        }
        double sum = 0;
        long count = 0;
        try (NDManager root = NDManager.newBaseManager(setup.device().device())) {
            for (int first = 0; first < eval.size(); first += hp.batchSize()) {
                List<List<TokenizedExample>> rows = new ArrayList<>();
                for (int i = first; i < Math.min(eval.size(), first + hp.batchSize()); i++) {
                    rows.add(List.of(eval.get(i)));
                }
                try (NDManager m = root.newSubManager(); Batch batch = collator.collateRows(rows, m)) {
                    double[] s = StepRunner.evalSums(model, batch);
                    sum += s[0];
                    count += (long) s[1];
                }
            }
        } finally {
            if (adapter != null) {
                adapter.setTraining(training);
            }
        }
        double loss = count == 0 ? Double.NaN : sum / count;
        state.logEval(globalStep, epoch, loss);
        all.onEvalLoss(globalStep, epoch, loss, count);
        return loss;
    }

    /** Writes {@code OUTPUT/checkpoints/step-{globalStep}} (atomically) and tells the callback. */
    public Path saveCheckpoint() {
        TrainingPlan.Slice next = globalStep < plan.totalSteps() ? plan.step(globalStep) : null;
        Checkpoint.DataPosition position = new Checkpoint.DataPosition(next == null ? plan.epochs() : next.epoch(),
                next == null ? 0 : next.firstMicroBatch(), plan.datasetSize(), plan.seed());
        Path dir = Checkpoint.write(setup.outputDir(), globalStep, tmp -> {
            if (adapter != null) {
                adapter.save(tmp.resolve(Checkpoint.ADAPTER_DIR), request.baseModel());
            } else {
                FullModelFiles.writeWeights(setup.baseModel(), params.master(), tmp.resolve(Checkpoint.MODEL_DIR));
            }
            optimizer.save(tmp.resolve(Checkpoint.OPTIMIZER_FILE));
            Checkpoint.writeScheduler(tmp, schedule, globalStep);
            Checkpoint.writeRng(tmp, hp.seed(), globalStep);
            Checkpoint.writeDataPosition(tmp, position);
            state.write(tmp.resolve(Checkpoint.TRAINER_STATE_FILE));
            writeArgs(tmp.resolve(Checkpoint.ARGS_FILE), request);
        });
        lastCheckpoint = dir;
        callback.onCheckpoint(globalStep, dir);
        return dir;
    }

    /** {@code OUTPUT/adapter} (PEFT) or {@code OUTPUT/model} (weights + config + tokenizer files). */
    private Path exportFinal() {
        Path out = setup.outputDir();
        if (adapter != null) {
            Path dir = out.resolve(Checkpoint.ADAPTER_DIR);
            adapter.save(dir, request.baseModel());
            return dir;
        }
        return FullModelFiles.export(setup.baseModel(), params.master(), out.resolve(Checkpoint.MODEL_DIR));
    }

    private static void loadFullWeights(Path modelDir, TrainableParameters params) {
        try (SafetensorsReader reader = SafetensorsReader.open(modelDir);
             NDManager tmp = NDManager.newBaseManager(params.master().values().iterator().next().getDevice())) {
            List<String> missing = new ArrayList<>();
            for (String name : params.master().keySet()) {
                if (!reader.contains(name)) {
                    missing.add(name);
                    continue;
                }
                params.assign(name, reader.read(name, tmp));
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("checkpoint weights " + modelDir + " lack " + missing);
            }
        }
        params.syncToModel();
    }

    public static void writeArgs(Path file, TrainingRequest request) throws IOException {
        JsonNode tree = Json.mapper().valueToTree(request);
        ((ObjectNode) tree).put("schemaVersion", request.schemaVersion());
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), tree);
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

    /** Records the training set skipped (each with line and reason) — report them, nothing is dropped silently. */
    public SftDataset trainData() {
        return train;
    }

    /** The eval set, or null. */
    public SftDataset evalData() {
        return eval;
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
                // already failing; the first exception is the one to report
            }
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(model);
        all.add(tokenizer);
        if (quantized != null) {
            all.add(quantized); // after the adapter (closed in reverse order), as QuantizedModel requires
        }
        if (adapter != null) {
            all.add(adapter);
        }
        all.add(params);
        all.add(optimizer);
        all.add(runner);
        all.add(metrics);
        closeAll(all);
    }
}
