package io.tuneforge.bench.suite;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training tokens/s and peak RSS for LoRA, QLoRA and full fine-tuning: tuning-core's {@code TrainBenchmark} (the
 * step {@code SftTrainer} runs) and the same step in PyTorch eager ({@code train_benchmark.py}), back to back per
 * mode so that both see the same load, one process per measurement.
 *
 * <p>QLoRA: {@code TrainBenchmark --mode qlora} (NF4 base + LoRA). PyTorch has no NF4; when
 * {@code train_benchmark.py} offers {@code --mode qlora} (LoRA over a base dequantized on the fly) it is the
 * baseline, otherwise PyTorch LoRA is, and the table says so.
 */
public final class TrainSection {

    static final String MAIN = "io.tuneforge.tuning.bench.TrainBenchmark";
    static final String SCRIPT = "libs/tuning-core/src/test/python/train_benchmark.py";
    static final List<String> MODES = List.of("lora", "qlora", "full");

    private final SuiteOptions options;
    private final Map<String, String> javaFailures = new LinkedHashMap<>();

    public TrainSection(SuiteOptions options) {
        this.options = options;
    }

    /** Model and batch: TrainBenchmark's documented config, or a model half as wide and deep with --quick. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        if (options.quick()) {
            c.putAll(Map.of("hidden", "256", "layers", "4", "heads", "4", "intermediate", "688", "vocab", "2048"));
        } else {
            c.putAll(Map.of("hidden", "512", "layers", "8", "heads", "8", "intermediate", "1376", "vocab", "4096"));
        }
        c.put("batch", "4");
        c.put("seq", "128");
        c.put("r", "16");
        c.put("warmup", "1");
        c.put("steps", options.quick() ? "3" : "5");
        return c;
    }

    public SectionReport run() {
        Table table = new Table("threads:", "mode", "Java ms/step:", "Java tok/s:", "PyTorch ms/step:", "PyTorch tok/s:",
                "Java / PyTorch tok/s:", "Java peak RSS MiB:", "PyTorch peak RSS MiB:", "Java RSS growth MiB:", "load (Java, PyTorch)");
        List<String> commands = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SummaryFigure> figures = new ArrayList<>();
        boolean python = Files.isRegularFile(options.repoRoot().resolve(SCRIPT));
        for (int threads : options.threads()) {
            Map<String, StepFigure> java = new LinkedHashMap<>();
            Map<String, StepFigure> torch = new LinkedHashMap<>();
            for (String mode : MODES) {
                ChildRun j = ChildRun.run(javaCommand(mode, threads), JavaChild.environment(threads),
                        options.repoRoot(), Duration.ofMinutes(5));
                commands.add(j.commandLine());
                Optional<StepFigure> jf = j.succeeded() ? StepFigure.parse(j) : Optional.empty();
                jf.ifPresentOrElse(f -> java.put(mode, f), () -> {
                    notes.add("Java " + mode + " (" + threads + " threads) gave no figure: " + j.failure());
                    javaFailures.put(mode, j.line(l -> l.contains("is not known")).isPresent()
                            ? "TrainBenchmark has no --mode " + mode : "Java run failed");
                });
                ChildRun p = null;
                Optional<StepFigure> pf = Optional.empty();
                String baselineNote = "";
                if (python) {
                    p = ChildRun.run(pythonCommand(mode, threads), JavaChild.environment(threads), options.repoRoot(),
                            Duration.ofMinutes(5));
                    commands.add(p.commandLine());
                    if (p.succeeded()) {
                        pf = StepFigure.parse(p);
                    } else if (mode.equals("qlora") && torch.containsKey("lora")
                            && p.line(l -> l.contains("invalid choice")).isPresent()) {
                        pf = Optional.of(torch.get("lora"));
                        baselineNote = " (PyTorch LoRA: the script has no qlora mode)";
                    } else {
                        notes.add("PyTorch " + mode + " (" + threads + " threads) gave no figure: " + p.failure());
                    }
                } else {
                    notes.add("PyTorch baseline skipped: " + SCRIPT + " is not under " + options.repoRoot());
                }
                pf.ifPresent(f -> torch.put(mode, f));
                StepFigure a = java.get(mode);
                StepFigure b = torch.get(mode);
                table.row(threads, mode + baselineNote, a == null ? null : Fmt.f("%.0f", a.msPerStep()),
                        a == null ? null : Fmt.f("%.0f", a.tokensPerSecond()),
                        b == null ? null : Fmt.f("%.0f", b.msPerStep()),
                        b == null ? null : Fmt.f("%.0f", b.tokensPerSecond()),
                        a == null || b == null ? null : Fmt.ratio(a.tokensPerSecond() / b.tokensPerSecond()),
                        a == null ? null : a.peakRssMib(), b == null || !baselineNote.isEmpty() ? null : b.peakRssMib(),
                        a == null || a.rssGrowthMib() == null ? null : Fmt.f("%+d", a.rssGrowthMib()),
                        j.load() + ", " + (p == null ? "–" : p.load()));
            }
            if (threads == options.summaryThreads()) {
                figures.addAll(summary(threads, java, torch));
                if (!java.containsKey("qlora") && !options.quick()) {
                    figures.add(quantFallback(threads, commands, notes));
                }
            }
        }
        return new SectionReport("Training step: LoRA, QLoRA, full (TrainBenchmark vs PyTorch eager)",
                markdown(table, commands, notes), figures);
    }

    private List<SummaryFigure> summary(int threads, Map<String, StepFigure> java, Map<String, StepFigure> torch) {
        List<SummaryFigure> out = new ArrayList<>();
        String t = ", " + threads + " threads";
        for (String mode : MODES) {
            String name = label(mode) + " training tok/s" + t;
            StepFigure a = java.get(mode);
            StepFigure b = torch.get(mode);
            String target = mode.equals("lora") ? "≥ 1.0×" : null;
            if (a == null || b == null) {
                out.add(SummaryFigure.missing(name, a == null ? javaFailures.getOrDefault(mode, "Java run failed")
                        : "PyTorch run failed", target));
            } else if (mode.equals("lora")) {
                out.add(SummaryFigure.atLeast(name, a.tokensPerSecond(), "%.0f", "PyTorch eager",
                        b.tokensPerSecond(), 1.0));
            } else {
                double r = a.tokensPerSecond() / b.tokensPerSecond();
                out.add(new SummaryFigure(name, Fmt.f("%.0f", a.tokensPerSecond()),
                        "PyTorch eager " + (mode.equals("qlora") && b.mode().equals("lora") ? "LoRA " : "")
                                + Fmt.f("%.0f", b.tokensPerSecond()), Fmt.ratio(r), null, null));
            }
        }
        StepFigure q = java.get("qlora");
        StepFigure l = java.get("lora");
        String name = "QLoRA step / LoRA step (Java)" + t;
        if (q != null && l != null) {
            out.add(SummaryFigure.atMost(name, q.msPerStep(), "%.0f ms", "LoRA", l.msPerStep(), 1.3));
        } else if (options.quick()) { // otherwise QuantBenchmark stands in (quantFallback)
            out.add(SummaryFigure.missing(name, "a Java run failed (QuantBenchmark stands in without --quick)",
                    "≤ 1.3×"));
        }
        return out;
    }

    /** QLoRA step / LoRA step from QuantBenchmark's ~100M Llama, when TrainBenchmark could not run qlora. */
    private SummaryFigure quantFallback(int threads, List<String> commands, List<String> notes) {
        String name = "QLoRA step / LoRA step (Java, QuantBenchmark ~100M Llama, 1 × 128 tokens), " + threads
                + " threads";
        Optional<QuantStepFallback.Steps> steps = QuantStepFallback.measure(options, threads);
        steps.ifPresent(s -> {
            commands.add(s.run().commandLine());
            notes.add(Fmt.f("QLoRA step from QuantBenchmark instead (TrainBenchmark has no qlora mode): ~100M Llama,"
                    + " LoRA r 16, 1 × 128 tokens: f32 base %.0f ms, NF4 + double-quant base %.0f ms (%s), load %s",
                    s.loraMs(), s.qloraMs(), Fmt.ratio(s.qloraMs() / s.loraMs()), s.run().load()));
        });
        return steps.map(s -> SummaryFigure.atMost(name, s.qloraMs(), "%.0f ms", "LoRA", s.loraMs(), 1.3))
                .orElseGet(() -> SummaryFigure.missing(name, "QuantBenchmark gave no step rows", "≤ 1.3×"));
    }

    private static String label(String mode) {
        return switch (mode) {
            case "lora" -> "LoRA";
            case "qlora" -> "QLoRA";
            default -> "Full fine-tuning";
        };
    }

    List<String> javaCommand(String mode, int threads) {
        List<String> args = new ArrayList<>(List.of("--mode", mode));
        config().forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        args.addAll(List.of("--kv-heads", config().get("heads")));
        return JavaChild.command(MAIN, threads, "2g", args);
    }

    List<String> pythonCommand(String mode, int threads) {
        List<String> cmd = new ArrayList<>(List.of(options.python(), SCRIPT, "--mode", mode,
                "--threads", Integer.toString(threads)));
        config().forEach((k, v) -> cmd.addAll(List.of("--" + k, v)));
        return cmd;
    }

    private String markdown(Table table, List<String> commands, List<String> notes) {
        Map<String, String> c = config();
        StringBuilder sb = new StringBuilder();
        sb.append(Fmt.f("Random Llama: hidden %s, %s layers, %s heads (as many KV heads), intermediate %s, vocabulary %s;"
                        + " batch %s × %s tokens; LoRA r %s (alpha 2r) on the seven projections; AdamW, clipping 1.0;"
                        + " f32 on CPU; median of %s steps after %s warm-up. One process per cell.%n%n",
                c.get("hidden"), c.get("layers"), c.get("heads"), c.get("intermediate"), c.get("vocab"),
                c.get("batch"), c.get("seq"), c.get("r"), c.get("steps"), c.get("warmup")));
        sb.append(table.toMarkdown());
        for (String n : notes) {
            sb.append("\n* ").append(n);
        }
        sb.append("\n\nCommands (environment OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=<threads>):\n\n```\n");
        commands.forEach(cmd -> sb.append(cmd).append('\n'));
        sb.append("```\n");
        return sb.toString();
    }
}
