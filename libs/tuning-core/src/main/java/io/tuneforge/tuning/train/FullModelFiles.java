package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes fully fine-tuned weights as a Hugging Face model directory: {@code config.json} (the base
 * model's, with {@code torch_dtype} float32) and {@code model.safetensors} (F32 masters), plus — for
 * the final export — every tokenizer and generation file of the base model, so the directory loads
 * on its own ({@code LlamaModel.load}, transformers' {@code from_pretrained}).
 */
public final class FullModelFiles {

    private FullModelFiles() {
    }

    /** config.json + model.safetensors into {@code dir} (created). */
    public static void writeWeights(Path baseModel, Map<String, NDArray> weights, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode config = (ObjectNode) SftTrainer.JSON.readTree(baseModel.resolve("config.json").toFile());
        config.put("torch_dtype", "float32");
        SftTrainer.JSON.writeValue(dir.resolve("config.json").toFile(), config);
        SafetensorsWriter writer = new SafetensorsWriter().putMetadata("format", "pt");
        weights.forEach((name, array) -> writer.add(name, array, SafetensorsDtype.F32));
        writer.write(dir.resolve(SafetensorsReader.SINGLE_FILE));
    }

    /**
     * The final model directory, written beside {@code dir} and renamed into place.
     *
     * @return {@code dir}
     */
    public static Path export(Path baseModel, Map<String, NDArray> weights, Path dir) {
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        try {
            Checkpoint.deleteTree(tmp);
            writeWeights(baseModel, weights, tmp);
            try (Stream<Path> files = Files.list(baseModel)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String name = f.getFileName().toString();
                    if (isTokenizerOrGenerationFile(name)) {
                        Files.copy(f, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Checkpoint.deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fine-tuned model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** tokenizer.json, tokenizer_config.json, special_tokens_map.json, generation_config.json, tokenizer.model, … */
    public static boolean isTokenizerOrGenerationFile(String name) {
        return name.startsWith("tokenizer") || name.equals("special_tokens_map.json")
                || name.equals("generation_config.json") || name.equals("added_tokens.json")
                || name.equals("vocab.json") || name.equals("merges.txt") || name.endsWith(".jinja")
                || name.equals("chat_template.json");
    }
}
