package io.tuneforge.tuning.export.merged;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.export.gguf.GgufConverter;
import io.tuneforge.tuning.export.gguf.GgufSummary;
import io.tuneforge.tuning.export.gguf.GgufType;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.train.FullModelFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a base model with a PEFT LoRA adapter merged in (PEFT's {@code merge_and_unload} + transformers'
 * {@code save_pretrained}) as a Hugging Face model directory that loads in TuneForge and in transformers.
 *
 * <ol>
 *   <li>The base is loaded in f32 on the CPU and the adapter attached ({@link LoraAdapter#load}: a base it was not
 *       trained on is refused with every mismatched shape); each adapted weight becomes
 *       {@code W + scaling·B·A} in f32. A QLoRA run's adapter is the same PEFT file: it is merged into the f32
 *       base as stored (the weights NF4 was computed from, not their NF4 rounding), as PEFT does after the base is
 *       reloaded unquantized — the merged model differs from the trained NF4 + adapter model by that rounding.</li>
 *   <li>{@code config.json}: the base's, every field kept, {@code torch_dtype} set to the stored dtype.</li>
 *   <li>Weights in f32 (default), bf16 or f16: {@code model.safetensors}, or shards + index above
 *       {@link MergeOptions#maxShardBytes}. Tied embeddings stay tied: no {@code lm_head.weight}.</li>
 *   <li>Tokenizer and generation files copied byte for byte.</li>
 *   <li>All of it goes into a hidden sibling directory that is renamed into place at the end, so a failed
 *       export leaves no output directory.</li>
 * </ol>
 *
 * <p>Without an adapter the base (e.g. a full fine-tune's model directory) is re-written the same way.
 */
public final class MergedModelExporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MergedModelExporter() {
    }

    /**
     * Merges {@code adapterDir} (null: none) into {@code baseModel} and writes the result to {@code output}, which
     * must not exist yet (or be an empty directory).
     *
     * @param progress receives one line per stage ("loading…", "merging…", "writing…")
     * @throws IllegalArgumentException when the output exists, or the model or adapter does not fit
     *     ({@code MalformedAdapterException} lists every reason)
     */
    public static MergedModel export(Path baseModel, Path adapterDir, Path output, MergeOptions options,
                                     Consumer<String> progress) {
        long start = System.nanoTime();
        checkOutput(output);
        Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".exporting");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            progress.accept("loading " + baseModel + " in f32");
            try (LlamaModel model = LlamaModel.load(baseModel, DeviceSettings.cpu());
                 NDManager scratch = model.manager().newSubManager()) {
                Map<String, NDArray> weights = model.parameters();
                List<String> written;
                if (adapterDir != null) {
                    progress.accept("merging adapter " + adapterDir);
                    try (LoraAdapter adapter = LoraAdapter.load(adapterDir, model)) {
                        weights = adapter.mergedWeights(scratch);
                        written = writeModel(baseModel, weights, tmp, options, progress);
                    }
                } else {
                    written = writeModel(baseModel, weights, tmp, options, progress);
                }
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
                return summary(output, weights.size(), written, options, adapterDir != null, start);
            }
        } catch (IOException e) {
            cleanUp(tmp);
            throw new UncheckedIOException("cannot write the merged model to " + output + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            cleanUp(tmp);
            throw e;
        }
    }

    /**
     * A GGUF file of the base with the adapter merged: the merged model goes to a temporary f32 Hugging Face
     * directory beside {@code outputFile}, is converted ({@link GgufConverter#convert}, which also writes the Ollama
     * {@code Modelfile}) and removed. Without an adapter the base directory is converted directly.
     */
    public static GgufSummary exportGguf(Path baseModel, Path adapterDir, GgufType type, Path outputFile,
                                         Consumer<String> progress) throws IOException {
        if (adapterDir == null) {
            progress.accept("converting " + baseModel + " to GGUF " + type.label());
            return GgufConverter.convert(baseModel, type, outputFile);
        }
        Path parent = outputFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path merged = Files.createTempDirectory(parent, ".merged-").resolve("model");
        try {
            export(baseModel, adapterDir, merged, MergeOptions.defaults(), progress);
            progress.accept("converting the merged model to GGUF " + type.label());
            return GgufConverter.convert(merged, type, outputFile);
        } finally {
            deleteTree(merged.getParent());
        }
    }

    private static void checkOutput(Path output) {
        if (Files.isDirectory(output)) {
            try (Stream<Path> s = Files.list(output)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(output);
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + output + ": " + e.getMessage(), e);
            }
        }
        if (Files.exists(output)) {
            throw new IllegalArgumentException("output " + output + " already exists; give a new directory"
                    + " (or remove it) — an export never overwrites files");
        }
    }

    private static List<String> writeModel(Path baseModel, Map<String, NDArray> weights, Path dir,
                                           MergeOptions options, Consumer<String> progress) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(baseModel.resolve("config.json").toFile());
        config.put("torch_dtype", options.torchDtype());
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        progress.accept("writing " + weights.size() + " tensors as " + options.dtype() + " to " + dir.getParent());
        List<String> written = ShardedSafetensors.write(weights, options.dtype(), options.maxShardBytes(), dir);
        try (Stream<Path> files = Files.list(baseModel)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (FullModelFiles.isTokenizerOrGenerationFile(name)) {
                    Files.copy(f, dir.resolve(name));
                }
            }
        }
        return written;
    }

    private static MergedModel summary(Path dir, int tensors, List<String> weightFiles, MergeOptions options,
                                       boolean adapterMerged, long start) throws IOException {
        List<String> files = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                files.add(f.getFileName().toString());
                bytes += Files.size(f);
            }
        }
        return new MergedModel(dir, files, bytes, tensors, weightFiles, options.dtype(), adapterMerged,
                (System.nanoTime() - start) / 1e9);
    }

    private static void cleanUp(Path tmp) {
        try {
            deleteTree(tmp);
        } catch (IOException suppressed) {
            // the original failure matters more; a leftover hidden .exporting directory is replaced next time
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
