package io.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pid file of a detached process: the pid on the first line, then {@code started=<instant>} — the process's start
 * time, so that a pid the system has since given to another process is not mistaken for ours (it is then "not
 * running", and {@link #stop} leaves it alone).
 *
 * <pre>{@code
 * PidFile pidFile = new PidFile(runDir.resolve("registry-service.pid"));
 * pidFile.write(service.pid());
 * ...
 * pidFile.process().ifPresent(p -> PidFile.stop(p, Duration.ofSeconds(20)));
 * pidFile.delete();
 * }</pre>
 */
public record PidFile(Path file) {

    private static final String STARTED = "started=";

    /** Records {@code pid} (and its start time) atomically: a reader never sees half a file. */
    public void write(long pid) {
        String started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toString)
                .orElse("");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n" + STARTED + started + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The recorded pid; empty when there is no file. */
    public Optional<Long> pid() {
        return lines().map(l -> {
            try {
                return Long.parseLong(l.get(0).trim());
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("Pid file " + file + " should start with a process id, found "
                        + (l.isEmpty() ? "nothing" : "'" + l.get(0) + "'") + "; delete it if no such process runs", e);
            }
        });
    }

    /** The recorded process if it still runs (same pid and same start time); empty otherwise. */
    public Optional<ProcessHandle> process() {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        String recorded = lines().orElse(List.of()).stream().filter(l -> l.startsWith(STARTED))
                .map(l -> l.substring(STARTED.length()).trim()).findFirst().orElse("");
        return ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).filter(p -> recorded.isEmpty()
                || p.info().startInstant().map(i -> i.toString().equals(recorded)).orElse(true));
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops a process: SIGTERM (Quarkus and the local stack shut down cleanly on it), then SIGKILL when it has not
     * ended within {@code grace}.
     *
     * @return true when it ended on SIGTERM, false when it had to be killed
     */
    public static boolean stop(ProcessHandle process, Duration grace) {
        CompletableFuture<ProcessHandle> ended = process.onExit();
        process.destroy();
        try {
            ended.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            try {
                ended.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e2) {
                throw new IllegalStateException("Process " + process.pid() + " did not end even after SIGKILL", e2);
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
            }
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for process " + process.pid() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping process " + process.pid(), e);
        }
    }

    private Optional<List<String>> lines() {
        try {
            return Files.exists(file) ? Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the pid file " + file + ": " + e.getMessage(), e);
        }
    }
}
