package io.tuneforge.tuning.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.SftTrainer;
import io.tuneforge.tuning.train.StepPhases;
import io.tuneforge.tuning.train.StepRunner;
import io.tuneforge.tuning.train.TrainableParameters;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Training-step speed and memory on CPU: tokens/s of one optimizer step (forward, causal-LM loss,
 * backward, clipping, AdamW) and the process's peak resident memory (VmHWM), for LoRA, QLoRA or full
 * fine-tuning of a random Llama. {@code src/test/python/train_benchmark.py} runs the same step in
 * PyTorch eager; docs/benchmarks.md has both commands and the table.
 *
 * <p>Default model: hidden 512, 8 layers, 8 heads (8 KV heads), intermediate 1376, vocabulary 4096
 * (≈ 29.5M parameters); batch 8 × 256 tokens, every token a target. LoRA: r 16, alpha 32, the
 * seven projections, dropout 0. QLoRA: the same LoRA over the seven projections quantized as the trainer's
 * {@code adapter: qlora} does ({@link QuantizedModel#quantize} with {@link QuantizationConfig#defaults()}: NF4,
 * blocks of 64, double quantization; dense weights released). Full: every weight, f32. AdamW (weight decay 0.01), clipping at 1.0.
 *
 * <p>One mode per JVM, so that VmHWM is that mode's peak. Options: {@code --mode lora|qlora|full
 * --hidden 512 --layers 8 --heads 8 --kv-heads 8 --intermediate 1376 --vocab 4096 --seq 256 --batch 8
 * --r 16 --warmup 2 --steps 5}. Threads: {@code -Dai.djl.pytorch.num_threads=N}.
 *
 * <p>{@code --phases} adds one line with the median of each phase of the step ({@link StepPhases}: forward,
 * backward, clip, optimizer, zero-grad, other), in the form {@code train_benchmark.py --phases} prints, and a JSON
 * line {@code {"impl":"java","phases_ms":{...}}}. {@code --profile FILE} records the last measured step with the
 * PyTorch profiler into a Chrome trace (every aten op with its time), to count native ops per phase.
 */
public final class TrainBenchmark {

    private TrainBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        String mode = o.getOrDefault("mode", "lora");
        int hidden = Integer.parseInt(o.getOrDefault("hidden", "512"));
        int layers = Integer.parseInt(o.getOrDefault("layers", "8"));
        int heads = Integer.parseInt(o.getOrDefault("heads", "8"));
        int kvHeads = Integer.parseInt(o.getOrDefault("kv-heads", "8"));
        int intermediate = Integer.parseInt(o.getOrDefault("intermediate", "1376"));
        int vocab = Integer.parseInt(o.getOrDefault("vocab", "4096"));
        int seq = Integer.parseInt(o.getOrDefault("seq", "256"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "8"));
        int r = Integer.parseInt(o.getOrDefault("r", "16"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "2"));
        int steps = Integer.parseInt(o.getOrDefault("steps", "5"));
        boolean phases = Boolean.parseBoolean(o.getOrDefault("phases", "false"));
        String profile = o.get("profile");
        if (!mode.equals("lora") && !mode.equals("qlora") && !mode.equals("full")) {
            throw new IllegalArgumentException("--mode " + mode + " is not known; use lora, qlora or full");
        }
        TinySpec spec = TinySpec.defaults().withSizes(hidden, layers, heads, kvHeads, intermediate)
                .withVocabSize(vocab).withMaxPositionEmbeddings(Math.max(512, seq));
        Path dir = Files.createTempDirectory("train-benchmark");
        try {
            TinyModel.write(dir, spec);
            run(mode, dir, spec, seq, batch, r, warmup, steps, phases, profile);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(String mode, Path dir, TinySpec spec, int seq, int batch, int r, int warmup, int steps,
                            boolean phases, String profile) {
        List<TokenizedExample> examples = randomExamples(batch, seq, spec.vocabSize());
        BatchCollator collator = new BatchCollator(0, false, seq);
        boolean lora = !mode.equals("full");
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             QuantizedModel quantized = mode.equals("qlora") ? quantizeBase(model) : null;
             LoraAdapter adapter = lora
                     ? LoraAdapter.attach(model, new LoraConfig(r, 2.0 * r, 0.0, LoraSettings.ALL_TARGETS, false), 1)
                     : null;
             TrainableParameters params = new TrainableParameters(
                     adapter != null ? adapter.trainableParameters() : model.parameters());
             AdamW optimizer = new AdamW(DeviceSettings.cpu().device(), 0.01,
                     adapter != null ? n -> true : SftTrainer.FULL_FINE_TUNING_DECAY);
             StepRunner runner = new StepRunner(model, params, optimizer,
                     new LrSchedule("constant", 1e-5, 0, warmup + steps), 1.0)) {
            long parameters = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum()
                    + (quantized != null ? quantized.parameters() : 0); // released dense weights are NF4 now
            double[] ms = new double[steps];
            List<StepPhases> phaseTimes = new ArrayList<>();
            double loss = 0;
            long rssFirst = 0;
            for (int s = 0; s < warmup + steps; s++) {
                boolean profiled = profile != null && s == warmup + steps - 1;
                if (profiled) {
                    JniUtils.startProfile(false, true, true);
                }
                long t0 = System.nanoTime();
                StepRunner.Outcome out = runner.run(s, 1, (i, m) -> collator.collate(examples, m));
                double elapsed = (System.nanoTime() - t0) / 1e6;
                if (profiled) {
                    JniUtils.stopProfile(profile);
                }
                loss = out.loss();
                if (s >= warmup) {
                    ms[s - warmup] = elapsed;
                    phaseTimes.add(runner.lastPhases());
                }
                if (s == warmup) {
                    rssFirst = vmRssKib();
                }
            }
            Arrays.sort(ms);
            double median = ms[steps / 2];
            double tokensPerSecond = batch * (double) seq / (median / 1000);
            long rssLast = vmRssKib();
            // what libtorch actually runs with, not what was asked for
            System.out.printf(Locale.ROOT, "# TrainBenchmark (Java, DJL %s, PyTorch %s, intra-op threads %d, inter-op"
                            + " threads %d, load average %.1f)%n",
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), JniUtils.getNumThreads(),
                    JniUtils.getNumInteropThreads(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "VmRSS after the first measured step %d MiB, after the last %d MiB (%+d MiB"
                    + " over %d steps)%n", rssFirst / 1024, rssLast / 1024, (rssLast - rssFirst) / 1024, steps - 1);
            System.out.printf(Locale.ROOT, "mode %s: %.1fM parameters, %,d trainable; batch %d × %d tokens; "
                            + "median step %.0f ms (min %.0f, max %.0f over %d); %.0f tokens/s; peak RSS %d MiB;"
                            + " last loss %.4f%n", mode, parameters / 1e6, params.elementCount(), batch, seq, median,
                    ms[0], ms[steps - 1], steps, tokensPerSecond, vmHwmKib() / 1024, loss);
            System.out.printf(Locale.ROOT, "{\"impl\":\"java\",\"mode\":\"%s\",\"ms_per_step\":%.1f,"
                    + "\"tokens_per_second\":%.1f,\"peak_rss_mib\":%d,\"rss_growth_mib\":%d}%n", mode, median,
                    tokensPerSecond, vmHwmKib() / 1024, (rssLast - rssFirst) / 1024);
            if (phases) {
                printPhases(mode, phaseTimes);
            }
        }
    }

    /** Median of each phase over the measured steps (each phase's own median: they need not sum to the step's). */
    private static void printPhases(String mode, List<StepPhases> steps) {
        Map<String, ToDoubleFunction<StepPhases>> named = new LinkedHashMap<>();
        named.put("forward", StepPhases::forwardMs);
        named.put("backward", StepPhases::backwardMs);
        named.put("clip", StepPhases::clipMs);
        named.put("optimizer", StepPhases::optimizerMs);
        named.put("zero_grad", StepPhases::zeroGradMs);
        named.put("other", StepPhases::otherMs);
        named.put("total", StepPhases::totalMs);
        StringBuilder line = new StringBuilder("phases " + mode + " (median ms):");
        StringBuilder json = new StringBuilder("{\"impl\":\"java\",\"mode\":\"" + mode + "\",\"phases_ms\":{");
        named.forEach((name, f) -> {
            double median = steps.stream().mapToDouble(f).sorted().toArray()[steps.size() / 2];
            line.append(String.format(Locale.ROOT, " %s %.1f", name, median));
            json.append(String.format(Locale.ROOT, "%s\"%s\":%.1f", json.charAt(json.length() - 1) == '{' ? "" : ",",
                    name, median));
        });
        System.out.println(line);
        System.out.println(json.append("}}"));
    }

    /** QLoRA's base, as SftTrainer builds it for {@code adapter: qlora}: NF4 projections, dense weights freed. */
    private static QuantizedModel quantizeBase(LlamaModel model) {
        QuantizedModel quantized = QuantizedModel.quantize(model, QuantizationConfig.defaults());
        quantized.releaseDenseWeights();
        return quantized;
    }

    /** Random token rows (fixed seed), every position a target. */
    private static List<TokenizedExample> randomExamples(int batch, int seq, int vocab) {
        SplittableRandom random = new SplittableRandom(1234);
        List<TokenizedExample> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            long[] ids = new long[seq];
            for (int t = 0; t < seq; t++) {
                ids[t] = random.nextInt(vocab);
            }
            out.add(new TokenizedExample(ids, ids.clone(), false));
        }
        return out;
    }

    static long vmHwmKib() {
        return procStatusKib("VmHWM:");
    }

    static long vmRssKib() {
        return procStatusKib("VmRSS:");
    }

    private static long procStatusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs (or the flag --phases), got "
                        + Arrays.toString(args));
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            if (flag && !args[i].equals("--phases")) {
                throw new IllegalArgumentException(args[i] + " needs a value; only --phases stands alone");
            }
            out.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
        return out;
    }
}
