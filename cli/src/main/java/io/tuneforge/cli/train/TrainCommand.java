package io.tuneforge.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.preference.PreferenceOptions;
import io.tuneforge.tuning.preference.PreferenceTrainer;
import io.tuneforge.tuning.train.CancellationToken;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.TrainingCallback;
import io.tuneforge.tuning.train.TrainingResult;
import io.tuneforge.tuning.train.TrainingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tuneforge train --config FILE.(json|yaml) --output DIR [--resume-from DIR]}: supervised fine-tuning, or
 * DPO / ORPO preference tuning ({@code method: dpo | orpo}, prompt/chosen/rejected data), on this machine, what
 * {@code llamafactory-cli train} does. The config holds the fields of the training request
 * (DESIGN.md §4); {@code baseModel} is a model directory and {@code dataset} is {@code {"path": "train.jsonl",
 * "evalPath": "eval.jsonl"}}, relative paths resolving against the config file's folder. Every bad field is printed
 * before anything loads (exit code 2).
 *
 * <p>Writes {@code DIR/adapter/} (LoRA, PEFT files) or {@code DIR/model/} (full fine-tuning, Hugging Face layout
 * with the tokenizer files), {@code DIR/checkpoints/step-N/}, {@code DIR/metrics.jsonl} and
 * {@code DIR/training_args.json}; progress on stderr. Ctrl-C stops after the current step and writes a checkpoint
 * to resume from with {@code --resume-from DIR}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune a model on this machine (SFT, DPO or ORPO; LoRA, QLoRA or full) from a JSON or YAML"
                + " training request.")
public final class TrainCommand implements Callable<Integer> {

    /** Exit code of a config that cannot run (bad fields, unsupported method). */
    public static final int INVALID_CONFIG = 2;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Training request as .json, .yaml or .yml.")
    Path config;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where adapter/ or model/, checkpoints/ and metrics.jsonl go.")
    Path output;

    @Option(names = "--resume-from", paramLabel = "DIR",
            description = "A checkpoint (DIR/checkpoints/step-N) or a previous --output DIR (its latest checkpoint).")
    Path resumeFrom;

    @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0",
            description = "DPO only: assumed share of flipped preference labels, in [0, 0.5) (conservative DPO).")
    double labelSmoothing;

    @Option(names = "--precompute-reference",
            description = "DPO only: compute the reference log-probs once before training and store them with the run"
                    + " (no reference model in memory, one forward pass per step).")
    boolean precomputeReference;

    @Option(names = "--max-prompt-length", paramLabel = "N",
            description = "dpo/orpo: longest prompt once a pair must be truncated (default: maxSeqLength / 2).")
    Integer maxPromptLength;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        JsonNode tree = TrainingConfigFile.read(config);
        ParsedTrainingRequest parsed = TrainingRequests.parse(tree);
        for (FieldError w : parsed.warnings()) {
            err.println("warning: " + w.path() + ": " + w.reason());
        }
        if (!parsed.isValid()) {
            err.println(config + " has " + parsed.errors().size() + " problem(s):");
            for (FieldError e : parsed.errors()) {
                err.println("  " + e.path() + ": " + e.reason());
            }
            err.flush();
            return INVALID_CONFIG;
        }
        TrainingRequest request = parsed.request().withDefaults();
        boolean preference = request.method().needsPreferenceData();
        PreferenceOptions options;
        try {
            if (!preference) {
                SftTrainer.requireSupported(request);
            }
            options = preferenceOptions(request);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            err.println(config + ": " + e.getMessage());
            err.flush();
            return INVALID_CONFIG;
        }
        Path configDir = config.toAbsolutePath().getParent();
        TrainingSetup setup = TrainingSetup.local(request, configDir, output, resumeFrom, DeviceSettings.auto());
        err.flush();
        CancellationToken cancellation = new CancellationToken();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            cancellation.cancel("interrupted (SIGINT/SIGTERM)");
            try {
                finished.await(10, TimeUnit.MINUTES); // let the current step finish and the checkpoint be written
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tuneforge-train-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        TrainingResult result;
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        TrainingCallback progress = new ProgressReporter(System.err, terminal);
        Map<String, Double> preferenceMetrics = Map.of();
        try {
            if (preference) {
                try (PreferenceTrainer trainer = PreferenceTrainer.setup(setup, options)) {
                    describe(err, setup, trainer, options);
                    result = trainer.train(new PreferenceProgress(progress, System.err), cancellation);
                    preferenceMetrics = trainer.lastMetrics();
                }
            } else {
                try (SftTrainer trainer = SftTrainer.setup(setup)) {
                    describe(err, setup, trainer);
                    result = trainer.train(progress, cancellation);
                }
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it only waits for `finished`
            }
        }
        summarise(out, result, preferenceMetrics);
        return 0;
    }

    /** The preference knobs the request does not carry, checked against its method before anything loads. */
    private PreferenceOptions preferenceOptions(TrainingRequest request) {
        TrainingMethod method = request.method();
        if (method == TrainingMethod.SFT && (labelSmoothing != 0 || precomputeReference || maxPromptLength != null)) {
            throw new IllegalArgumentException("--label-smoothing, --precompute-reference and --max-prompt-length apply"
                    + " to method dpo/orpo; this config trains method sft");
        }
        if (method == TrainingMethod.ORPO && (labelSmoothing != 0 || precomputeReference)) {
            throw new IllegalArgumentException("--label-smoothing and --precompute-reference apply to DPO; ORPO has no"
                    + " reference model");
        }
        PreferenceOptions options = new PreferenceOptions(labelSmoothing, precomputeReference, maxPromptLength);
        if (method != TrainingMethod.SFT) {
            options.maxPromptLength(request.hyperparameters().maxSeqLength()); // below maxSeqLength, or it says so
        }
        return options;
    }

    private static void describe(PrintWriter err, TrainingSetup setup, PreferenceTrainer trainer,
                                 PreferenceOptions options) {
        TrainingRequest r = setup.request();
        String what = trainer.adapter() != null
                ? String.format(Locale.ROOT, "%s r=%d alpha=%s on %s", r.adapter().wireName(), r.lora().r(),
                r.lora().alpha(), r.lora().targetModules())
                : "full fine-tuning";
        err.printf(Locale.ROOT, "model %s on %s: %s %s (%s = %s), %s, %,d trainable parameters%n", setup.baseModel(),
                setup.device(), trainer.method().wireName().toUpperCase(Locale.ROOT), what,
                trainer.method().needsReference() ? "beta" : "lambda", r.hyperparameters().beta(),
                trainer.reference() == null ? "no reference model" : "reference: " + trainer.reference().description()
                        + (options.labelSmoothing() > 0 ? ", label smoothing " + options.labelSmoothing() : ""),
                trainer.parameters().elementCount());
        if (trainer.maxSeqLength() < r.hyperparameters().maxSeqLength()) {
            err.printf(Locale.ROOT, "maxSeqLength %d is more than the model's %d positions: pairs are cut at %d%n",
                    r.hyperparameters().maxSeqLength(), trainer.maxSeqLength(), trainer.maxSeqLength());
        }
        err.printf(Locale.ROOT, "data %s: %d pairs (%d truncated to %d tokens, %d skipped)%s%n", setup.trainData(),
                trainer.trainData().size(), trainer.trainData().truncatedCount(), trainer.maxSeqLength(),
                trainer.trainData().skipped().size(), trainer.evalData() == null ? ""
                        : "; eval " + setup.evalData() + ": " + trainer.evalData().size() + " pairs");
        trainer.trainData().skipped().stream().limit(5).forEach(s -> err.println("  skipped " + s));
        err.flush();
    }

    private static void describe(PrintWriter err, TrainingSetup setup, SftTrainer trainer) {
        TrainingRequest r = setup.request();
        String what = trainer.adapter() != null
                ? String.format(Locale.ROOT, "LoRA r=%d alpha=%s on %s", r.lora().r(), r.lora().alpha(),
                r.lora().targetModules())
                : "full fine-tuning";
        err.printf(Locale.ROOT, "model %s on %s: %s, %,d trainable parameters%n", setup.baseModel(),
                setup.device(), what, trainer.parameters().elementCount());
        if (trainer.maxSeqLength() < r.hyperparameters().maxSeqLength()) {
            err.printf(Locale.ROOT, "maxSeqLength %d is more than the model's %d positions: examples are cut at %d%n",
                    r.hyperparameters().maxSeqLength(), trainer.maxSeqLength(), trainer.maxSeqLength());
        }
        err.printf(Locale.ROOT, "data %s: %d examples (%d truncated to %d tokens, %d skipped)%s%n", setup.trainData(),
                trainer.trainData().size(), trainer.trainData().truncatedCount(), trainer.maxSeqLength(),
                trainer.trainData().skipped().size(), trainer.evalData() == null ? ""
                        : "; eval " + setup.evalData() + ": " + trainer.evalData().size() + " examples");
        trainer.trainData().skipped().stream().limit(5).forEach(s -> err.println("  skipped " + s));
        err.flush();
    }

    private static void summarise(PrintWriter out, TrainingResult result, Map<String, Double> preference) {
        if (result.cancelled()) {
            out.printf(Locale.ROOT, "stopped after step %d of %d (%s); resume with --resume-from %s%n",
                    result.globalStep(), result.totalSteps(), result.cancelReason(), result.lastCheckpoint());
        } else {
            out.printf(Locale.ROOT, "trained %d steps in %.1f s: loss %.4f%s%n", result.globalStep(), result.seconds(),
                    result.lastLoss(), result.evalLoss() == null ? "" : String.format(Locale.ROOT, ", eval loss %.4f",
                            result.evalLoss()));
            if (!preference.isEmpty()) {
                out.printf(Locale.ROOT, "last step: rewards/accuracies %.2f, rewards/margins %.4f%n",
                        preference.get("rewards/accuracies"), preference.get("rewards/margins"));
            }
            out.println("wrote " + result.artifacts());
        }
        out.flush();
    }
}
