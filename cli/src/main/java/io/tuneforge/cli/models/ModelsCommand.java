package io.tuneforge.cli.models;

import picocli.CommandLine.Command;

/** {@code tuneforge models …}: base models in the platform's object store ({@code s3://<bucket>/models/<name>/}). */
@Command(name = "models",
        description = "Import Hugging Face Llama-family model directories into the platform's object store.",
        mixinStandardHelpOptions = true,
        subcommands = {ImportCommand.class, ListCommand.class})
public final class ModelsCommand {
}
