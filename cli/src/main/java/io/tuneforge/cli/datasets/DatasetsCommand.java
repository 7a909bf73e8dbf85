package io.tuneforge.cli.datasets;

import picocli.CommandLine.Command;

/** {@code tuneforge datasets …}: datasets on the platform, through data-service's REST API. */
@Command(name = "datasets",
        description = "Upload datasets to the platform and look at their versions (data-service, port 8081).",
        mixinStandardHelpOptions = true,
        subcommands = {UploadCommand.class, ListCommand.class, ShowCommand.class})
public final class DatasetsCommand {
}
