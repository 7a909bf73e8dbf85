package io.tuneforge.tuning.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.generate.BatchGeneration;
import io.tuneforge.tuning.generate.DecodeThreads;
import io.tuneforge.tuning.generate.GenerationConfig;
import io.tuneforge.tuning.generate.Generator;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.model.Projection;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.weights.WeightNames;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Prefill and decode speed of {@link Generator} on CPU, and how close a decode step comes to the
 * time of its matrix products alone. Prints a Markdown table (docs/benchmarks.md has the command).
 *
 * <p>For each model (the tiny default and a ~100M-parameter random Llama: hidden 768, 12 layers,
 * 12 heads, intermediate 2048, vocabulary 32000) and each batch size:
 * <ol>
 *   <li>prefill tokens/s: prompt tokens / time of the (B, T) prefill forward;</li>
 *   <li>decode tokens/s: generated tokens / time of the (B, 1) steps (sampling included);</li>
 *   <li>matmul-only: the same step's matrix products alone — the seven projections of every
 *       layer, the two attention products at the step's mean cache length, and the LM head —
 *       on the model's own weights, timed separately; the ratio step / matmul-only is what the
 *       rest of the step (norms, rotary, softmax, masks, copies, Java) costs on top.</li>
 * </ol>
 * Options (all optional): {@code --models tiny,100m --batches 1,4 --prompt 128 --new 64 --repeats 3
 * --decode-threads auto} ({@link Generator#withDecodeThreads}: auto, 0 = the engine's setting, or N).
 * Threads: {@code -Dai.djl.pytorch.num_threads=N} (default: all cores), read before the engine starts; the
 * matmul-only column runs with the decode steps' thread count ({@link Generator#decodeThreads}).
 */
public final class DecodeBenchmark {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog. "
            + "Fine-tuning adapts a pretrained model to a task with a small dataset. ";

    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads",
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        System.out.printf(Locale.ROOT, "# DecodeBenchmark: %s %s, CPU, ai.djl.pytorch.num_threads=%s, decode threads %s, "
                        + "%d cores, prompt %d tokens, %d new tokens, greedy, median of %d, load average at start %.1f%n%n",
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads,
                options.decodeThreads < 0 ? "auto" : options.decodeThreads == 0 ? "engine" : options.decodeThreads,
                Runtime.getRuntime().availableProcessors(), options.prompt, options.newTokens, options.repeats,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| model | parameters | batch | prefill tok/s | decode tok/s | decode step ms "
                + "| matmul-only ms | step / matmul |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : options.models) {
            run(name, spec(name), options);
        }
        System.out.printf(Locale.ROOT, "%nload average at end %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static TinySpec spec(String name) {
        return switch (name) {
            case "tiny" -> TinySpec.defaults();
            case "100m" -> TinySpec.defaults().withSizes(768, 12, 12, 12, 2048).withVocabSize(32000)
                    .withMaxPositionEmbeddings(2048);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; use tiny or 100m");
        };
    }

    private static void run(String name, TinySpec spec, Options options) throws IOException {
        Path dir = Files.createTempDirectory("tuneforge-bench-" + name);
        try {
            TinyModel.write(dir, spec);
            try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
                 TextTokenizer tokenizer = TextTokenizer.load(dir)) {
                Generator generator = new Generator(model, tokenizer).withDecodeThreads(options.decodeThreads);
                long[] prompt = Arrays.copyOf(tokenizer.encode(TEXT.repeat(1 + options.prompt / 40)), options.prompt);
                // EOS id -1 is no token: every row runs to exactly newTokens.
                GenerationConfig config = GenerationConfig.greedy(options.newTokens).withEosIds(Set.of(-1L));
                generator.generateBatch(List.of(prompt), config.withMaxNewTokens(4));   // warm-up
                for (int batch : options.batches) {
                    List<long[]> prompts = new ArrayList<>();
                    for (int b = 0; b < batch; b++) {
                        prompts.add(prompt);
                    }
                    List<BatchGeneration> runs = new ArrayList<>();
                    for (int r = 0; r < options.repeats; r++) {
                        runs.add(generator.generateBatch(prompts, config));
                    }
                    double prefill = median(runs.stream().mapToDouble(BatchGeneration::prefillTokensPerSecond));
                    double decode = median(runs.stream().mapToDouble(BatchGeneration::decodeTokensPerSecond));
                    double stepMs = median(runs.stream().mapToDouble(g -> g.decodeNanos() / 1e6 / g.decodeSteps()));
                    int meanCache = options.prompt + options.newTokens / 2;
                    int restore = DecodeThreads.enter(generator.decodeThreads(batch));     // the steps' threads
                    double matmulMs;
                    try {
                        matmulMs = matmulOnlyMs(model, batch, meanCache, options.repeats * options.newTokens);
                    } finally {
                        DecodeThreads.exit(restore);
                    }
                    System.out.printf(Locale.ROOT, "| %s | %.1fM | %d | %.0f | %.1f | %.2f | %.2f | %.2f |%n",
                            name, parameters(model) / 1e6, batch, prefill, decode, stepMs, matmulMs,
                            stepMs / matmulMs);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Mean time of one decode step's matrix products alone: for batch B and S cached slots, per
     * layer x(B, 1, D)·W for q, k, v, o, gate, up and h(B, 1, I)·W for down, the grouped
     * attention products (B, nKv, rep, hd)·(B, nKv, hd, S) and (B, nKv, rep, S)·(B, nKv, S, hd),
     * then the LM head (B, 1, D)·(D, V).
     */
    static double matmulOnlyMs(LlamaModel model, int batch, int slots, int iterations) {
        ModelConfig c = model.config();
        int rep = c.numAttentionHeads() / c.numKeyValueHeads();
        var weights = model.parameters();
        NDArray lmHead = weights.getOrDefault(WeightNames.LM_HEAD, weights.get(WeightNames.EMBED_TOKENS));
        try (NDManager inputs = model.manager().newSubManager()) {
            NDArray x = inputs.randomNormal(new Shape(batch, 1, c.hiddenSize()));                          // (B, 1, D)
            NDArray attnOut = inputs.randomNormal(new Shape(batch, 1, (long) c.numAttentionHeads() * c.headDim()));
            NDArray h = inputs.randomNormal(new Shape(batch, 1, c.intermediateSize()));                    // (B, 1, I)
            NDArray q = inputs.randomNormal(new Shape(batch, c.numKeyValueHeads(), rep, c.headDim()));
            NDArray kT = inputs.randomNormal(new Shape(batch, c.numKeyValueHeads(), c.headDim(), slots));
            NDArray p = inputs.randomNormal(new Shape(batch, c.numKeyValueHeads(), rep, slots));
            NDArray v = inputs.randomNormal(new Shape(batch, c.numKeyValueHeads(), slots, c.headDim()));
            long total = 0;
            for (int i = -3; i < iterations; i++) {                                  // 3 warm-up iterations
                try (NDManager step = inputs.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray last = null;
                    for (int l = 0; l < c.numHiddenLayers(); l++) {
                        for (Projection proj : Projection.values()) {
                            NDArray in = proj == Projection.DOWN_PROJ ? h : proj == Projection.O_PROJ ? attnOut : x;
                            last = in.getNDArrayInternal().linear(in, weights.get(WeightNames.weight(l, proj)),
                                    weights.get(WeightNames.bias(l, proj))).singletonOrThrow();
                            last.attach(step);
                        }
                        q.matMul(kT).attach(step);
                        p.matMul(v).attach(step);
                    }
                    last = x.getNDArrayInternal().linear(x, lmHead, null).singletonOrThrow();        // (B, 1, V)
                    last.attach(step);
                    last.toFloatArray();                                                           // waits for it
                    if (i >= 0) {
                        total += System.nanoTime() - start;
                    }
                }
            }
            return total / 1e6 / iterations;
        }
    }

    private static long parameters(LlamaModel model) {
        return model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** Command-line options. */
    private record Options(List<String> models, int[] batches, int prompt, int newTokens, int repeats,
                           int decodeThreads) {

        static Options parse(String[] args) {
            List<String> models = List.of("tiny", "100m");
            int[] batches = {1, 4};
            int prompt = 128;
            int newTokens = 64;
            int repeats = 3;
            int decodeThreads = -1;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--models" -> models = List.of(value.split(","));
                    case "--batches" -> batches = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--prompt" -> prompt = Integer.parseInt(value);
                    case "--new" -> newTokens = Integer.parseInt(value);
                    case "--repeats" -> repeats = Integer.parseInt(value);
                    case "--decode-threads" -> decodeThreads = value.equals("auto") ? -1 : Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; known: --models, --batches, --prompt, --new, --repeats, --decode-threads");
                }
            }
            return new Options(models, batches, prompt, newTokens, repeats, decodeThreads);
        }
    }
}
