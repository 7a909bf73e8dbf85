package io.tuneforge.bench.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One measured child process: its command, exit code, output lines (stdout and stderr merged), wall time and the
 * machine's load average before and after. Every measurement runs in a process of its own, so its peak RSS is its
 * own and no JIT or allocator state leaks from one to the next. Output is echoed to stderr as it arrives, prefixed,
 * so a long run shows progress.
 *
 * @param display the command as the report shows it (the classpath as {@code $CP})
 */
public record ChildRun(List<String> display, int exitCode, List<String> lines, double seconds, double loadBefore,
                       double loadAfter, boolean timedOut) {

    /** The {@code -cp} value shown as this in reports (bench/run prints what it stands for). */
    public static final String CP = "$CP";

    public ChildRun {
        display = List.copyOf(display);
        lines = List.copyOf(lines);
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, killing it after {@code timeout}.
     *
     * @throws UncheckedIOException when the program cannot be started (e.g. a missing interpreter)
     */
    public static ChildRun run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        double before = Machine.loadAverage();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    System.err.println("    │ " + line);
                }
            } catch (IOException e) {
                lines.add("(output could not be read: " + e.getMessage() + ")");
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + command.get(0) + " ran", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> display = command.stream().map(ChildRun::shown).toList();
        return new ChildRun(display, finished ? p.exitValue() : -1, new ArrayList<>(lines), seconds, before,
                Machine.loadAverage(), !finished);
    }

    /** The classpath as {@code $CP}, this JVM's java binary as {@code java}. */
    private static String shown(String arg) {
        if (arg.equals(JavaChild.classpath())) {
            return CP;
        }
        return arg.equals(JavaChild.javaBinary()) ? "java" : arg;
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** The first output line that satisfies {@code test}. */
    public Optional<String> line(Predicate<String> test) {
        return lines.stream().filter(test).findFirst();
    }

    /** The command as one shell line (arguments with spaces or shell characters in single quotes). */
    public String commandLine() {
        return String.join(" ", display.stream()
                .map(a -> a.matches("[A-Za-z0-9_./:=,@+$-]+") ? a : "'" + a.replace("'", "'\\''") + "'").toList());
    }

    /** Why this run gave no figure: timeout, or the exit code and the last lines of its output. */
    public String failure() {
        if (timedOut) {
            return "timed out after " + Math.round(seconds) + " s";
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        String error = line(l -> l.contains("Exception") || l.contains("Error:")).filter(l -> !tail.contains(l))
                .map(l -> l + " … ").orElse("");
        return "exit " + exitCode + ": " + error + String.join(" / ", tail);
    }

    /** "2.1 → 2.4". */
    public String load() {
        return Machine.formatLoad(loadBefore) + " → " + Machine.formatLoad(loadAfter);
    }
}
