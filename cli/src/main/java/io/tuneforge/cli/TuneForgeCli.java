package io.tuneforge.cli;

import io.tuneforge.cli.data.DataCommand;
import io.tuneforge.cli.datasets.DatasetsCommand;
import io.tuneforge.cli.eval.EvalCommand;
import io.tuneforge.cli.export.ExportCommand;
import io.tuneforge.cli.demo.DemoCommand;
import io.tuneforge.cli.model.ModelCommand;
import io.tuneforge.cli.models.ModelsCommand;
import io.tuneforge.cli.platform.DownCommand;
import io.tuneforge.cli.platform.StatusCommand;
import io.tuneforge.cli.platform.UpCommand;
import io.tuneforge.cli.runs.RunsCommand;
import io.tuneforge.cli.submit.SubmitCommand;
import io.tuneforge.cli.train.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tuneforge}: the command-line face of TuneForge (DESIGN.md §7). Command and option names are a stable
 * interface: scripts and other tools rely on them.
 */
@Command(name = "tuneforge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Fine-tune Llama-family models: LoRA, QLoRA, full, DPO, ORPO.",
        subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class,
                ModelCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class,
                DatasetsCommand.class, SubmitCommand.class, RunsCommand.class, ModelsCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class TuneForgeCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one invocation and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new TuneForgeCli())
                .setExecutionExceptionHandler(new CliExceptionHandler())
                .execute(args);
    }
}
