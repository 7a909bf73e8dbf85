package io.tuneforge.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception into one readable line on stderr and exit code 1; the stack trace only with
 * {@code TUNEFORGE_DEBUG=1}. Messages of our exceptions already say what was wrong and what would be right.
 */
final class CliExceptionHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + message));
        if ("1".equals(System.getenv("TUNEFORGE_DEBUG"))) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }
}
