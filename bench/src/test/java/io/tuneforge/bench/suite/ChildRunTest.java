package io.tuneforge.bench.suite;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real child processes: the output, exit code and timeout of a shell, and the benchmarks of other modules run the
 * way the suite runs them, so that a change of what they print breaks this test, not the suite's report.
 */
class ChildRunTest {

    private static final Path HERE = Path.of(".").toAbsolutePath();

    @Test
    void capturesOutputExitCodeAndEnvironment() {
        ChildRun run = ChildRun.run(List.of("sh", "-c", "echo one; echo \"$X\" >&2; exit 3"), Map.of("X", "two"), HERE,
                Duration.ofSeconds(20));
        assertEquals(3, run.exitCode());
        assertEquals(List.of("one", "two"), run.lines());
        assertFalse(run.succeeded());
        assertTrue(run.failure().startsWith("exit 3: one / two"), run.failure());
        assertEquals("sh -c 'echo one; echo \"$X\" >&2; exit 3'", run.commandLine());
    }

    @Test
    void killsAChildThatOverrunsItsTimeout() {
        ChildRun run = ChildRun.run(List.of("sleep", "30"), Map.of(), HERE, Duration.ofMillis(500));
        assertTrue(run.timedOut());
        assertTrue(run.seconds() < 15, "killed, not waited for: " + run.seconds());
        assertTrue(run.failure().startsWith("timed out"), run.failure());
    }

    @Test
    void pipelineBenchmarkPrintsWhatTheSuiteReads() {
        List<String> cmd = List.of(JavaChild.javaBinary(), "-Xmx128m", "-XX:+UseSerialGC", "-cp", JavaChild.classpath(),
                PipelineSection.MAIN, "400", "1");
        ChildRun run = ChildRun.run(cmd, Map.of(), HERE, Duration.ofSeconds(90));
        assertTrue(run.succeeded(), run.failure());
        PipelineSection.Figures f = PipelineSection.Figures.parse(run.lines()).orElseThrow(
                () -> new AssertionError("no pipeline figures in:\n" + String.join("\n", run.lines())));
        assertEquals(400, f.records());
        assertTrue(f.recordsPerSecond() > 0 && f.peakRssMb() > 0, f.toString());
        assertEquals(ChildRun.CP, run.display().get(4), "the classpath is shown as $CP");
    }

    @Test
    void trainBenchmarkPrintsTheJsonLineTheSuiteReads() {
        List<String> cmd = JavaChild.command(TrainSection.MAIN, 1, "512m", List.of("--mode", "lora", "--hidden", "32",
                "--layers", "1", "--heads", "2", "--kv-heads", "2", "--intermediate", "64", "--vocab", "320",
                "--seq", "16", "--batch", "2", "--r", "2", "--warmup", "0", "--steps", "1"));
        ChildRun run = ChildRun.run(cmd, JavaChild.environment(1), HERE, Duration.ofSeconds(120));
        assertTrue(run.succeeded(), run.failure());
        StepFigure f = StepFigure.parse(run).orElseThrow(
                () -> new AssertionError("no JSON result line in:\n" + String.join("\n", run.lines())));
        assertEquals("java", f.impl());
        assertEquals("lora", f.mode());
        assertEquals(32 / (f.msPerStep() / 1000), f.tokensPerSecond(), f.tokensPerSecond() * 0.01);
    }

    @Test
    void decodeBenchmarkAndItsPyTorchBaselinePrintTheRowsTheSuiteReads() {
        List<String> options = List.of("--models", "tiny", "--batches", "2", "--prompt", "8", "--new", "4", "--repeats",
                "1");
        ChildRun jvm = ChildRun.run(JavaChild.command(DecodeSection.MAIN, 1, "512m", options), JavaChild.environment(1),
                HERE, Duration.ofSeconds(120));
        assertTrue(jvm.succeeded(), jvm.failure());
        DecodeSection.Row j = jvm.lines().stream().map(DecodeSection.Row::parse).flatMap(Optional::stream)
                .findFirst().orElseThrow(() -> new AssertionError("no row in:\n" + String.join("\n", jvm.lines())));
        assertEquals("tiny", j.model());
        assertEquals(2, j.batch());
        assertTrue(j.stepMs() > 0 && j.matmulMs() > 0, j.toString());

        Path root = HERE.normalize().getParent();
        assumeTrue(Files.isRegularFile(Path.of("/usr/bin/python3")), "no /usr/bin/python3 with PyTorch here");
        SuiteOptions suite = SuiteOptions.parse("--repo-root", root.toString(), "--quick");
        List<String> cmd = new ArrayList<>(new DecodeSection(suite).pythonCommand(1).subList(0, 4));
        cmd.addAll(options);
        ChildRun py = ChildRun.run(cmd, JavaChild.environment(1), root, Duration.ofSeconds(120));
        assumeTrue(py.line(l -> l.contains("No module named 'torch'")).isEmpty(), "python3 has no torch module");
        assertTrue(py.succeeded(), py.failure());
        DecodeSection.Row p = j.in(py.lines().stream().map(DecodeSection.Row::parse).flatMap(Optional::stream)
                .toList()).orElseThrow(() -> new AssertionError("no tiny batch-2 row in:\n" + String.join("\n", py.lines())));
        assertEquals(j.parameters(), p.parameters(), "the PyTorch model has the Java model's size");
        assertTrue(p.stepMs() > 0 && p.matmulMs() > 0 && p.prefillTokensPerSecond() > 0, p.toString());
    }
}
