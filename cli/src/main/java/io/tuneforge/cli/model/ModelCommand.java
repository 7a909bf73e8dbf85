package io.tuneforge.cli.model;

import picocli.CommandLine.Command;

/** {@code tuneforge model …}: make, run and inspect models on this machine, without the platform. */
@Command(name = "model",
        description = "Make, run and inspect Hugging Face Llama-family models locally.",
        mixinStandardHelpOptions = true,
        subcommands = {InitTinyCommand.class, ForwardCommand.class, GenerateCommand.class, InspectCommand.class})
public final class ModelCommand {
}
