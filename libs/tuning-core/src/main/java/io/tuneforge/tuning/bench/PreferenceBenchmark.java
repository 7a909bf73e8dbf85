package io.tuneforge.tuning.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.preference.AdapterOffReference;
import io.tuneforge.tuning.preference.PreferenceCollator;
import io.tuneforge.tuning.preference.PreferenceExample;
import io.tuneforge.tuning.preference.PreferenceMethod;
import io.tuneforge.tuning.preference.PreferenceObjective;
import io.tuneforge.tuning.preference.PreferenceStepRunner;
import io.tuneforge.tuning.preference.ReferencePolicy;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.AdamW;
import io.tuneforge.tuning.train.LrSchedule;
import io.tuneforge.tuning.train.StepRunner;
import io.tuneforge.tuning.train.TrainableParameters;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * What a preference step costs next to an SFT step on the same model, adapter and tokens: LoRA on a
 * random Llama, B pairs of prompt P + answer A tokens (random ids, fixed seed), so every method reads the
 * same 2B rows of P + A tokens with the prompt masked:
 *
 * <pre>
 * sft              StepRunner over the 2B sequences (causal-LM loss on the answers)
 * dpo              PreferenceStepRunner, reference = the adapter switched off: one extra forward, no grad
 * dpo-precomputed  the same with reference log-probs computed once before (what precomputeReference does)
 * orpo             PreferenceStepRunner, no reference
 * </pre>
 *
 * Each mode: warm-up steps, then the median wall time and process CPU time of the timed steps (forward,
 * loss, backward, clipping, AdamW) — CPU time is the steadier figure on a shared machine; the modes take turns step by step (rotating who goes first), so a shared machine's load falls
 * on all alike. Default model: hidden 512, 8 layers, 8 heads, intermediate 1376, vocabulary 4096 (≈ 29.5M
 * parameters, TrainBenchmark's); 4 pairs × (128 + 128) tokens; LoRA r 16 on the seven projections.
 * Options: {@code --hidden --layers --heads --kv-heads --intermediate --vocab --pairs 4 --prompt 128
 * --answer 128 --r 16 --warmup 2 --steps 5 --modes sft,dpo,dpo-precomputed,orpo}. Threads:
 * {@code -Dai.djl.pytorch.num_threads=N}. Command and figures: docs/benchmarks.md.
 */
public final class PreferenceBenchmark {

    private PreferenceBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        TinySpec spec = TinySpec.defaults()
                .withSizes(integer(o, "hidden", 512), integer(o, "layers", 8), integer(o, "heads", 8),
                        integer(o, "kv-heads", 8), integer(o, "intermediate", 1376))
                .withVocabSize(integer(o, "vocab", 4096));
        int pairs = integer(o, "pairs", 4);
        int prompt = integer(o, "prompt", 128);
        int answer = integer(o, "answer", 128);
        spec = spec.withMaxPositionEmbeddings(Math.max(512, prompt + answer));
        List<String> modes = List.of(o.getOrDefault("modes", "sft,dpo,dpo-precomputed,orpo").split(","));
        Path dir = Files.createTempDirectory("preference-benchmark");
        try {
            TinyModel.write(dir, spec);
            run(dir, spec, pairs, prompt, answer, integer(o, "r", 16), integer(o, "warmup", 2),
                    integer(o, "steps", 5), modes);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(Path dir, TinySpec spec, int pairs, int prompt, int answer, int r, int warmup, int steps,
                            List<String> modes) {
        List<PreferenceExample> examples = randomPairs(pairs, prompt, answer, spec.vocabSize());
        int seq = prompt + answer;
        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             LoraAdapter adapter = LoraAdapter.attach(model,
                     new LoraConfig(r, 2.0 * r, 0.0, LoraSettings.ALL_TARGETS, false), 1);
             TrainableParameters params = new TrainableParameters(adapter.trainableParameters())) {
            long parameters = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
            System.out.printf(Locale.ROOT, "# PreferenceBenchmark (Java, DJL %s, PyTorch %s, threads %s, load average"
                            + " %.1f)%n%.1fM parameters, LoRA r %d (%,d trainable); %d pairs × (%d prompt + %d answer)"
                            + " tokens = %d rows of %d%n", Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "all cores"),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), parameters / 1e6, r,
                    params.elementCount(), pairs, prompt, answer, 2 * pairs, seq);
            List<AutoCloseable> resources = new ArrayList<>();
            try {
                Map<String, LongFunction<Double>> stepOf = new LinkedHashMap<>();
                for (String mode : modes) {
                    stepOf.put(mode, step(mode, model, adapter, params, examples, seq, warmup + steps, resources));
                }
                Map<String, double[]> medians = medians(warmup, steps, stepOf);
                double[] sft = medians.get("sft");
                for (String mode : modes) {
                    double[] m = medians.get(mode);
                    System.out.printf(Locale.ROOT, "%-16s median step %7.0f ms wall %7.0f ms CPU  %6.0f tokens/s%s%n",
                            mode, m[0], m[1], 2.0 * pairs * seq / (m[0] / 1000), sft == null || mode.equals("sft") ? ""
                                    : String.format(Locale.ROOT, "  %.2f× sft wall, %.2f× sft CPU", m[0] / sft[0],
                                    m[1] / sft[1]));
                }
                System.out.printf(Locale.ROOT, "{\"impl\":\"java\",\"pairs\":%d,\"seq\":%d,\"ms_per_step\":{%s},"
                        + "\"cpu_ms_per_step\":{%s}}%n", pairs, seq,
                        String.join(",", modes.stream().map(m -> String.format(Locale.ROOT, "\"%s\":%.1f", m,
                                medians.get(m)[0])).toList()),
                        String.join(",", modes.stream().map(m -> String.format(Locale.ROOT, "\"%s\":%.1f", m,
                                medians.get(m)[1])).toList()));
            } finally {
                for (AutoCloseable c : resources) {
                    close(c);
                }
            }
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + c + ": " + e.getMessage(), e);
        }
    }

    /** One optimizer step of {@code mode} as a function of the step index; what it opens goes to {@code opened}. */
    private static LongFunction<Double> step(String mode, LlamaModel model, LoraAdapter adapter,
                                             TrainableParameters params, List<PreferenceExample> examples, int seq,
                                             int totalSteps, List<AutoCloseable> opened) {
        AdamW optimizer = new AdamW(DeviceSettings.cpu().device(), 0.0, n -> true);
        opened.add(optimizer);
        LrSchedule schedule = new LrSchedule("constant", 1e-6, 0, totalSteps);
        if (mode.equals("sft")) {
            List<TokenizedExample> rows = new ArrayList<>();
            examples.forEach(e -> rows.add(e.chosenSequence()));
            examples.forEach(e -> rows.add(e.rejectedSequence()));
            BatchCollator collator = new BatchCollator(0, false, seq);
            StepRunner runner = new StepRunner(model, params, optimizer, schedule, 1.0);
            opened.add(runner);
            return s -> runner.run(s, 1, (i, m) -> collator.collate(rows, m)).loss();
        }
        PreferenceCollator collator = new PreferenceCollator(0, seq);
        PreferenceMethod method = mode.equals("orpo") ? PreferenceMethod.ORPO : PreferenceMethod.DPO;
        ReferencePolicy reference = switch (mode) {
            case "dpo" -> new AdapterOffReference(adapter);
            case "dpo-precomputed" -> precomputed(new AdapterOffReference(adapter), collator, examples, model);
            case "orpo" -> null;
            default -> throw new IllegalArgumentException("mode '" + mode + "' is not known; use sft, dpo,"
                    + " dpo-precomputed or orpo");
        };
        PreferenceObjective objective = PreferenceObjective.of(method, 0.1, 0.0, DeviceSettings.cpu().device());
        PreferenceStepRunner runner = new PreferenceStepRunner(model, params, optimizer, schedule, 1.0, objective,
                reference, collator);
        opened.add(objective);
        opened.add(runner);
        int[] indices = new int[examples.size()];
        Arrays.setAll(indices, i -> i);
        List<PreferenceStepRunner.Micro> micros = List.of(new PreferenceStepRunner.Micro(examples, indices));
        return s -> runner.run(s, micros).loss();
    }

    /** Reference log-probs computed once (as PrecomputedReference holds them), handed out as fresh arrays. */
    private static ReferencePolicy precomputed(ReferencePolicy live, PreferenceCollator collator,
                                               List<PreferenceExample> examples, LlamaModel model) {
        float[] chosen;
        float[] rejected;
        try (NDManager m = NDManager.newBaseManager(model.device().device());
             Batch batch = collator.collate(examples, m)) {
            ReferencePolicy.LogProbs lp = live.logProbs(batch, null, m);
            chosen = lp.chosen().toFloatArray();
            rejected = lp.rejected().toFloatArray();
        }
        return new ReferencePolicy() {
            @Override
            public LogProbs logProbs(Batch batch, int[] pairIndices, NDManager manager) {
                return new LogProbs(manager.create(chosen), manager.create(rejected));
            }

            @Override
            public String description() {
                return "precomputed once";
            }
        };
    }

    /**
     * Median step time per mode, {wall ms, process CPU ms}. The modes take turns, one step each per round and a different one first in each
     * round, so that load on a shared machine (and whatever the first step of a round pays) falls on all alike.
     */
    private static Map<String, double[]> medians(int warmup, int steps, Map<String, LongFunction<Double>> stepOf) {
        Map<String, double[]> ms = new HashMap<>();
        Map<String, double[]> cpu = new HashMap<>();
        stepOf.keySet().forEach(mode -> {
            ms.put(mode, new double[steps]);
            cpu.put(mode, new double[steps]);
        });
        List<Map.Entry<String, LongFunction<Double>>> order = new ArrayList<>(stepOf.entrySet());
        for (int s = 0; s < warmup + steps; s++) {
            for (int k = 0; k < order.size(); k++) {
                Map.Entry<String, LongFunction<Double>> e = order.get((s + k) % order.size()); // rotate who goes first
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                double loss = e.getValue().apply(s);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException(e.getKey() + " step " + s + " gave loss " + loss);
                }
                if (s >= warmup) {
                    ms.get(e.getKey())[s - warmup] = (System.nanoTime() - t0) / 1e6;
                    cpu.get(e.getKey())[s - warmup] = (processCpuNanos() - c0) / 1e6;
                }
            }
        }
        Map<String, double[]> out = new HashMap<>();
        ms.forEach((mode, times) -> {
            double[] c = cpu.get(mode);
            Arrays.sort(times);
            Arrays.sort(c);
            out.put(mode, new double[] {times[steps / 2], c[steps / 2]});
        });
        return out;
    }

    /** CPU time of the whole process (every thread, PyTorch's included), ns; steadier than wall time under load. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code pairs} pairs of random ids (fixed seed): prompt, chosen and rejected of the given lengths. */
    private static List<PreferenceExample> randomPairs(int pairs, int prompt, int answer, int vocab) {
        SplittableRandom random = new SplittableRandom(1234);
        List<PreferenceExample> out = new ArrayList<>();
        for (int b = 0; b < pairs; b++) {
            out.add(new PreferenceExample(ids(random, prompt, vocab), ids(random, answer, vocab),
                    ids(random, answer, vocab), false));
        }
        return out;
    }

    private static long[] ids(SplittableRandom random, int n, int vocab) {
        long[] ids = new long[n];
        for (int t = 0; t < n; t++) {
            ids[t] = random.nextInt(vocab);
        }
        return ids;
    }

    private static int integer(Map<String, String> o, String name, int fallback) {
        return Integer.parseInt(o.getOrDefault(name, Integer.toString(fallback)));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
