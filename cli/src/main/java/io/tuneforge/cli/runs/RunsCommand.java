package io.tuneforge.cli.runs;

import picocli.CommandLine.Command;

/** {@code tuneforge runs …}: training runs as registry-service knows them ({@code /api/runs}). */
@Command(name = "runs",
        description = "List, show and cancel training runs (registry-service, port 8085).",
        mixinStandardHelpOptions = true,
        subcommands = {ListCommand.class, ShowCommand.class, CancelCommand.class})
public final class RunsCommand {
}
