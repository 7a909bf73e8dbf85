package io.tuneforge.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a child process is started so that it keeps running after the JVM that started it exits and after its terminal
 * closes: {@code setsid} puts it in a new session (no SIGHUP from the terminal, no Ctrl-C of the shell's process
 * group), and its standard input is {@code /dev/null}. Output goes to a file (the caller redirects it). Java itself
 * never kills children when it exits, so this is all {@code tuneforge up} needs; without {@code setsid} (not Linux)
 * the child still outlives the JVM but shares its terminal's session.
 */
public final class Detached {

    /** Standard input of a detached child. */
    public static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new File("/dev/null"));

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private Detached() {
    }

    /** {@code [/usr/bin/setsid]} where the system has it, else nothing: put it before the child's command. */
    public static List<String> prefix() {
        return SETSID.stream().filter(Files::isExecutable).findFirst().map(p -> List.of(p.toString()))
                .orElse(List.of());
    }
}
