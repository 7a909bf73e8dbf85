package io.tuneforge.tuning.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.loss.CausalLmLoss;
import io.tuneforge.tuning.model.LinearLayer;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.quant.CodeTables;
import io.tuneforge.tuning.quant.Nf4Tensor;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.weights.WeightNames;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * QLoRA's NF4 base weights on CPU: dequantization speed, the cost of an NF4 base under a LoRA layer
 * and under a whole LoRA training step, and what the weights take. Prints Markdown
 * (docs/benchmarks.md has the command).
 *
 * <ol>
 *   <li>dequantize a {@code size × size} normal(0, 0.02) weight (NF4, and NF4 + double quantization)
 *       to f32 on the device: median ms, and GB/s of f32 weights produced;</li>
 *   <li>one LoRA layer (r 16, the q_proj of a one-layer model with hidden = intermediate = size):
 *       forward + backward (input requires a gradient, as inside a network) over an f32, NF4 and
 *       NF4 + double-quant base, for each token count;</li>
 *   <li>the ~100M random Llama of DecodeBenchmark (hidden 768, 12 layers, intermediate 2048, vocab
 *       32000): bytes of the decoder projections in f32 / NF4 / NF4 + double quant, measured from
 *       the stored arrays, and one LoRA training step (r 16 on all seven projections, batch 1 × 128
 *       tokens, forward + causal-LM loss + backward) over the f32 and the NF4 + double-quant base;</li>
 *   <li>resident memory (VmRSS) after each phase and the peak (VmHWM).</li>
 * </ol>
 * Options: {@code --size 2048 --tokens 128,1024 --repeats 5 --model 100m|none}.
 * Threads: {@code -Dai.djl.pytorch.num_threads=N}, read before the engine starts.
 */
public final class QuantBenchmark {

    private QuantBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads",
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        System.out.printf(Locale.ROOT, "# QuantBenchmark: %s %s, CPU f32, ai.djl.pytorch.num_threads=%s, %d cores, "
                        + "median of %d, load average at start %.1f%n%n", Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads"),
                Runtime.getRuntime().availableProcessors(), o.repeats, loadAverage());
        try (NDManager root = NDManager.newBaseManager()) {
            dequantization(root, o);
            loraLayer(o);
        }
        if (o.model) {
            model(o);
        }
        System.out.printf(Locale.ROOT, "%npeak RSS (VmHWM) %s; load average at end %.1f%n", rss("VmHWM"),
                loadAverage());
    }

    // 1) dequantization speed
    private static void dequantization(NDManager root, Options o) {
        System.out.printf(Locale.ROOT, "## Dequantize a %d × %d weight to f32%n%n", o.size, o.size);
        System.out.println("| format | stored bytes | bytes/param | dequant ms | GB/s (f32 out) |");
        System.out.println("|---|---:|---:|---:|---:|");
        long n = (long) o.size * o.size;
        System.out.printf(Locale.ROOT, "| f32 | %d | 4.0000 | – | – |%n", 4 * n);
        CodeTables tables = CodeTables.create(root);
        try (NDArray dense = root.randomNormal(0f, 0.02f, new Shape(o.size, o.size), DataType.FLOAT32)) {
            for (boolean dq : new boolean[] {false, true}) {
                try (Nf4Tensor t = Nf4Tensor.quantize(dense, QuantizationConfig.nf4(dq), tables, root)) {
                    double ms = medianMs(o.repeats * 4, () -> {
                        try (NDManager scope = root.newSubManager()) {
                            t.dequantize(scope, DataType.FLOAT32).get(0, 0).getFloat(); // forces completion
                        }
                        return null;
                    });
                    System.out.printf(Locale.ROOT, "| NF4%s | %d | %.4f | %.2f | %.2f |%n", dq ? " + double quant" : "",
                            t.storedBytes(), t.bytesPerParameter(), ms, 4.0 * n / (ms * 1e6));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nRSS after dequantization: %s%n%n", rss("VmRSS"));
    }

    // 2) one LoRA layer over an f32 / NF4 base
    private static void loraLayer(Options o) {
        int heads = Math.max(1, o.size / 128);
        ModelConfig config = TinySpec.defaults().withSizes(o.size, 1, heads, heads, o.size).toConfig();
        LoraConfig lora = new LoraConfig(16, 32, 0.0, List.of("q_proj"), false);
        String module = WeightNames.module(0, io.tuneforge.tuning.model.Projection.Q_PROJ);
        System.out.printf(Locale.ROOT, "## One LoRA layer (r 16) over a %d × %d base: forward + backward%n%n", o.size,
                o.size);
        System.out.println("| tokens | base | ms | vs f32 |");
        System.out.println("|---:|---|---:|---:|");
        try (LlamaModel model = randomModel(config);
             NDManager inputs = NDManager.newBaseManager()) {
            for (int tokens : o.tokens) {
                NDArray x = inputs.randomNormal(new Shape(tokens, o.size));                          // (N, in)
                x.setRequiresGradient(true);
                double f32 = 0;
                for (String base : List.of("f32", "NF4", "NF4 + double quant")) {
                    QuantizedModel nf4 = base.equals("f32") ? null
                            : QuantizedModel.quantize(model, QuantizationConfig.nf4(base.endsWith("quant")));
                    try (LoraAdapter adapter = LoraAdapter.attach(model, lora, 1)) {
                        LinearLayer layer = adapter.layers().get(module);
                        double ms = medianMs(o.repeats, () -> layerStep(inputs, layer, x));
                        f32 = base.equals("f32") ? ms : f32;
                        System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.2f× |%n", tokens, base, ms, ms / f32);
                    } finally {
                        if (nf4 != null) {
                            nf4.close();
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nRSS after the layer runs: %s%n%n", rss("VmRSS"));
    }

    private static Void layerStep(NDManager parent, LinearLayer layer, NDArray x) {
        try (NDManager step = parent.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray in = x.duplicate();                 // (N, in): a differentiable copy, so the step owns the graph
            in.attach(step);
            NDArray y = layer.forward(in);                                                            // (N, out)
            collector.backward(y.sum());
            try (NDArray g = x.getGradient()) {
                g.get(0, 0).getFloat();
            }
        }
        return null;
    }

    // 3) a ~100M model: storage and one LoRA training step
    private static void model(Options o) {
        TinySpec spec = TinySpec.defaults().withSizes(768, 12, 12, 12, 2048).withVocabSize(32000)
                .withMaxPositionEmbeddings(2048);
        ModelConfig config = spec.toConfig();
        System.out.println("## ~100M Llama (hidden 768, 12 layers, intermediate 2048, vocab 32000): decoder projections");
        System.out.println();
        try (LlamaModel model = randomModel(config)) {
            long dense = model.linears().keySet().stream().mapToLong(m -> {
                NDArray w = model.parameters().get(m + ".weight");
                return w.getShape().size() * w.getDataType().getNumOfBytes();
            }).sum();
            String rssDense = rss("VmRSS");
            System.out.println("| format | bytes | bytes/param | quantize s |");
            System.out.println("|---|---:|---:|---:|");
            long params = dense / 4;
            System.out.printf(Locale.ROOT, "| f32 | %d | 4.0000 | – |%n", dense);
            for (boolean dq : new boolean[] {false, true}) {
                long start = System.nanoTime();
                try (QuantizedModel nf4 = QuantizedModel.quantize(model, QuantizationConfig.nf4(dq))) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "| NF4%s | %d | %.4f | %.1f |%n", dq ? " + double quant" : "",
                            nf4.storedBytes(), nf4.bytesPerParameter(), s);
                }
            }
            System.out.printf(Locale.ROOT, "%n%d weights in the projections; RSS with the f32 model %s, now %s%n%n",
                    params, rssDense, rss("VmRSS"));
            System.out.println("LoRA r 16 on all seven projections, batch 1 × 128 tokens, forward + loss + backward:");
            System.out.println();
            System.out.println("| base | step ms | vs f32 | VmRSS after | VmHWM after |");
            System.out.println("|---|---:|---:|---:|---:|");
            double f32 = 0;
            for (boolean quantized : new boolean[] {false, true}) {
                QuantizedModel nf4 = quantized ? QuantizedModel.quantize(model, QuantizationConfig.defaults()) : null;
                try (LoraAdapter adapter = LoraAdapter.attach(model, LoraConfig.defaults(), 1)) {
                    double ms = medianMs(Math.max(3, o.repeats / 2), () -> modelStep(model));
                    f32 = quantized ? f32 : ms;
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f× | %s | %s |%n",
                            quantized ? "NF4 + double quant" : "f32", ms, ms / f32, rss("VmRSS"), rss("VmHWM"));
                } finally {
                    if (nf4 != null) {
                        nf4.close();
                    }
                }
            }
        }
    }

    private static Void modelStep(LlamaModel model) {
        try (NDManager step = model.manager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            long[] ids = new long[128];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7919L + 13) % 32000;
            }
            NDArray input = step.create(ids, new Shape(1, 128));                                      // (B, T)
            NDArray logits = model.forward(input, null, null);                                       // (B, T, V)
            NDArray loss = CausalLmLoss.mean(logits, input);                                          // ()
            collector.backward(loss);
            loss.getFloat();
        }
        return null;
    }

    /** A model with normal(0, 0.02) weights and unit norms, made in memory on the CPU. */
    private static LlamaModel randomModel(ModelConfig config) {
        try (NDManager m = NDManager.newBaseManager()) {             // the model takes the arrays over
            Map<String, NDArray> weights = new LinkedHashMap<>();
            WeightNames.expectedShapes(config).forEach((name, shape) -> weights.put(name, name.endsWith("norm.weight")
                    ? m.ones(shape) : m.randomNormal(0f, 0.02f, shape, DataType.FLOAT32)));
            return LlamaModel.fromWeights(config, DeviceSettings.cpu(), weights);
        }
    }

    private static double medianMs(int repeats, Supplier<Void> run) {
        run.get();                                                  // warm-up
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    /** A line of /proc/self/status ("VmRSS", "VmHWM") in MiB, or "n/a" off Linux. */
    static String rss(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "n/a";
        }
        return "n/a";
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Command-line options. */
    private record Options(int size, int[] tokens, int repeats, boolean model) {

        static Options parse(String[] args) {
            int size = 2048;
            int[] tokens = {128, 1024};
            int repeats = 5;
            boolean model = true;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--size" -> size = Integer.parseInt(value);
                    case "--tokens" -> tokens = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--repeats" -> repeats = Integer.parseInt(value);
                    case "--model" -> model = switch (value) {
                        case "100m" -> true;
                        case "none" -> false;
                        default -> throw new IllegalArgumentException("--model " + value + ": use 100m or none");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; known: --size, --tokens, --repeats, --model");
                }
            }
            if (size < 128 || size % 128 != 0) {
                throw new IllegalArgumentException("--size " + size + " must be a multiple of 128 (heads of 128)");
            }
            return new Options(size, tokens, repeats, model);
        }
    }
}
