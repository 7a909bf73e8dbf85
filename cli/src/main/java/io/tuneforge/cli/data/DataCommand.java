package io.tuneforge.cli.data;

import picocli.CommandLine.Command;

/** {@code tuneforge data …}: dataset work on this machine, without the platform. */
@Command(name = "data",
        description = "Prepare datasets locally: validate, clean, deduplicate and split.",
        mixinStandardHelpOptions = true,
        subcommands = {PrepareCommand.class})
public final class DataCommand {
}
