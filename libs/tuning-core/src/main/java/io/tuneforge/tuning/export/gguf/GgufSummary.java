package io.tuneforge.tuning.export.gguf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link GgufConverter#convert} wrote.
 *
 * @param file the GGUF file
 * @param modelfile the Ollama {@code Modelfile} written next to it
 * @param type the requested type (1-D tensors are f32; rows not a multiple of 32 fall back to f16)
 * @param architecture {@code general.architecture}: {@code llama} or {@code qwen2}
 * @param tensorCount tensors in the file
 * @param tensorsByType how many tensors of each stored type, e.g. {@code {f32=5, q8_0=14, f16=2}}
 * @param parameterCount elements over all tensors
 * @param fileBytes size of the file
 * @param metadataCount metadata entries
 * @param warnings where llama.cpp will behave differently from the Hugging Face model (empty when none)
 */
public record GgufSummary(Path file, Path modelfile, GgufType type, String architecture, int tensorCount,
                          Map<String, Integer> tensorsByType, long parameterCount, long fileBytes, int metadataCount,
                          List<String> warnings) {

    public GgufSummary {
        tensorsByType = Map.copyOf(tensorsByType);
        warnings = List.copyOf(warnings);
    }
}
