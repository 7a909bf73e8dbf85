package io.tuneforge.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PidFile} with real processes ({@code sleep}, detached like {@code tuneforge up} starts them). */
class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void findsARecordedProcessAndStopsItWithSigterm() throws Exception {
        Process sleeper = detachedSleep();
        PidFile pidFile = new PidFile(dir.resolve("run").resolve("sleeper.pid"));
        pidFile.write(sleeper.pid());

        assertEquals(sleeper.pid(), pidFile.pid().orElseThrow());
        ProcessHandle handle = pidFile.process().orElseThrow(() -> new AssertionError("the sleeper runs"));
        assertTrue(PidFile.stop(handle, Duration.ofSeconds(10)), "sleep ends on SIGTERM");
        assertFalse(sleeper.isAlive());
        assertTrue(pidFile.process().isEmpty(), "a pid file of an ended process names no running process");
        pidFile.delete();
        assertFalse(Files.exists(pidFile.file()));
        assertTrue(pidFile.pid().isEmpty());
    }

    @Test
    void aPidWhoseStartTimeDiffersIsNotOurs() throws Exception {
        Process sleeper = detachedSleep();
        try {
            PidFile pidFile = new PidFile(dir.resolve("reused.pid"));
            Files.writeString(pidFile.file(), sleeper.pid() + "\nstarted=2001-01-01T00:00:00Z\n");
            assertTrue(pidFile.process().isEmpty(), "same pid, other start time: another process");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        Process stubborn = new ProcessBuilder(List.of("sh", "-c", "trap '' TERM; sleep 60")).start();
        Thread.sleep(300); // let the shell install its trap
        assertFalse(PidFile.stop(stubborn.toHandle(), Duration.ofMillis(500)), "needed SIGKILL");
        assertFalse(stubborn.isAlive());
    }

    @Test
    void aGarbledPidFileSaysWhatItFoundAndWhatToDo() throws Exception {
        PidFile pidFile = new PidFile(dir.resolve("garbled.pid"));
        Files.writeString(pidFile.file(), "twelve\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, pidFile::pid);
        assertTrue(e.getMessage().contains("found 'twelve'"), e.getMessage());
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }

    private static Process detachedSleep() throws Exception {
        List<String> command = new java.util.ArrayList<>(Detached.prefix());
        command.addAll(List.of("sleep", "60"));
        return new ProcessBuilder(command).redirectInput(Detached.NO_INPUT).start();
    }
}
