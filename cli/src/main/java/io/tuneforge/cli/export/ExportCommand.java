package io.tuneforge.cli.export;

import io.tuneforge.cli.data.Sizes;
import io.tuneforge.tuning.export.gguf.GgufSummary;
import io.tuneforge.tuning.export.gguf.GgufType;
import io.tuneforge.tuning.export.merged.MergeOptions;
import io.tuneforge.tuning.export.merged.MergedModel;
import io.tuneforge.tuning.export.merged.MergedModelExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tuneforge export}: a model (+ optional PEFT adapter, merged in f32) as a Hugging Face directory
 * ({@code --format merged}) or one GGUF file with an Ollama {@code Modelfile} beside it ({@code --format gguf}).
 * Prints one line per stage and a summary: files, bytes, tensors, seconds.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model, with a LoRA/QLoRA adapter merged in, as a Hugging Face directory or GGUF.")
public final class ExportCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|kib|mib|gib)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Base model directory (config.json + *.safetensors + tokenizer files).")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA/QLoRA adapter dir to merge (adapter_config.json + adapter_model.safetensors).")
    Path adapter;

    @Option(names = "--format", required = true, paramLabel = "merged|gguf",
            description = "merged: Hugging Face directory; gguf: one GGUF file for llama.cpp / Ollama.")
    String format;

    @Option(names = "--gguf-type", paramLabel = "TYPE", defaultValue = "f16",
            description = "GGUF tensor type: f32, f16 (default), q8_0 or q4_0 (only with --format gguf).")
    String ggufType;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "f32",
            description = "Merged weights' dtype: f32 (default), bf16 or f16 (only with --format merged).")
    String dtype;

    @Option(names = "--max-shard-size", paramLabel = "SIZE", defaultValue = "5GB",
            description = "Split the merged weights into shards above this size, e.g. 5GB (default), 500MB, 100000.")
    String maxShardSize;

    @Option(names = "--output", required = true, paramLabel = "PATH",
            description = "New directory (merged) or .gguf file (gguf); an existing one is not overwritten.")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a directory; give a Hugging Face model"
                    + " directory with config.json and *.safetensors");
        }
        if (adapter != null && !Files.isDirectory(adapter)) {
            throw new IllegalArgumentException("--adapter " + adapter + " is not a directory; give a PEFT adapter"
                    + " directory with adapter_config.json and adapter_model.safetensors");
        }
        switch (f) {
            case "merged" -> merged(out);
            case "gguf" -> gguf(out);
            default -> throw new IllegalArgumentException("--format '" + format + "' is not supported; use merged"
                    + " (Hugging Face directory) or gguf (llama.cpp / Ollama)");
        }
        out.flush();
        return 0;
    }

    private void merged(PrintWriter out) {
        MergeOptions options = new MergeOptions(MergeOptions.parseDtype(dtype), parseSize(maxShardSize));
        MergedModel m = MergedModelExporter.export(model, adapter, output, options, line -> progress(out, line));
        out.printf(Locale.ROOT, "exported %s: %d files, %s, %d tensors as %s in %d shard%s, %.1f s%n",
                m.directory(), m.files().size(), Sizes.bytes(m.bytes()), m.tensorCount(), m.dtype(),
                m.weightFiles().size(), m.weightFiles().size() == 1 ? "" : "s", m.seconds());
        out.println("  files: " + String.join(", ", m.files()));
    }

    private void gguf(PrintWriter out) throws Exception {
        GgufType type = GgufType.parse(ggufType);
        if (Files.exists(output)) {
            throw new IllegalArgumentException("--output " + output + " already exists; give a new file name"
                    + " — an export never overwrites files");
        }
        long start = System.nanoTime();
        GgufSummary s = MergedModelExporter.exportGguf(model, adapter, type, output, line -> progress(out, line));
        out.printf(Locale.ROOT, "exported %s: %s, %d tensors %s, %d parameters, %.1f s%n", s.file(),
                Sizes.bytes(s.fileBytes()), s.tensorCount(), s.tensorsByType(), s.parameterCount(),
                (System.nanoTime() - start) / 1e9);
        out.println("  files: " + s.file().getFileName() + ", " + s.modelfile().getFileName()
                + "  (ollama create NAME -f " + s.modelfile() + ")");
        s.warnings().forEach(w -> out.println("  warning: " + w));
    }

    private static void progress(PrintWriter out, String line) {
        out.println("export: " + line + " …");
        out.flush();
    }

    /** {@code 5GB}, {@code 500MB}, {@code 2GiB}, {@code 100000}: decimal units as transformers' max_shard_size. */
    static long parseSize(String value) {
        Matcher m = SIZE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException("--max-shard-size '" + value + "' is not a size; write e.g. 5GB,"
                    + " 500MB, 2GiB or a number of bytes");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return Math.multiplyExact(n, switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1L;
        });
    }
}
