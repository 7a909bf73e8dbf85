package io.tuneforge.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import io.tuneforge.tuning.device.DeviceSettings;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tuneforge train --config FILE.(json|yaml) --output DIR [--resume-from DIR]}: supervised fine-tuning on
 * this machine, what {@code llamafactory-cli train} does. The config holds the fields of the training request
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
        description = "Fine-tune a model on this machine (LoRA or full SFT) from a JSON or YAML training request.")
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
        try {
            SftTrainer.requireSupported(request);
        } catch (UnsupportedOperationException e) {
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
        try (SftTrainer trainer = SftTrainer.setup(setup)) {
            describe(err, setup, trainer);
            boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
            TrainingCallback progress = new ProgressReporter(System.err, terminal);
            result = trainer.train(progress, cancellation);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it only waits for `finished`
            }
        }
        summarise(out, result);
        return 0;
    }

    private static void describe(PrintWriter err, TrainingSetup setup, SftTrainer trainer) {
        TrainingRequest r = setup.request();
        String what = trainer.adapter() != null
                ? String.format(Locale.ROOT, "LoRA r=%d alpha=%s on %s", r.lora().r(), r.lora().alpha(),
                r.lora().targetModules())
                : "full fine-tuning";
        err.printf(Locale.ROOT, "model %s on %s: %s, %,d trainable parameters%n", setup.baseModel(),
                setup.device(), what, trainer.parameters().elementCount());
        err.printf(Locale.ROOT, "data %s: %d examples (%d truncated to %d tokens, %d skipped)%s%n", setup.trainData(),
                trainer.trainData().size(), trainer.trainData().truncatedCount(), r.hyperparameters().maxSeqLength(),
                trainer.trainData().skipped().size(), trainer.evalData() == null ? ""
                        : "; eval " + setup.evalData() + ": " + trainer.evalData().size() + " examples");
        trainer.trainData().skipped().stream().limit(5).forEach(s -> err.println("  skipped " + s));
        err.flush();
    }

    private static void summarise(PrintWriter out, TrainingResult result) {
        if (result.cancelled()) {
            out.printf(Locale.ROOT, "stopped after step %d of %d (%s); resume with --resume-from %s%n",
                    result.globalStep(), result.totalSteps(), result.cancelReason(), result.lastCheckpoint());
        } else {
            out.printf(Locale.ROOT, "trained %d steps in %.1f s: loss %.4f%s%n", result.globalStep(), result.seconds(),
                    result.lastLoss(), result.evalLoss() == null ? "" : String.format(Locale.ROOT, ", eval loss %.4f",
                            result.evalLoss()));
            out.println("wrote " + result.artifacts());
        }
        out.flush();
    }
}
