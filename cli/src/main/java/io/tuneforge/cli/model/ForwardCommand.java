package io.tuneforge.cli.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge model forward}: the f32 logits of the last position for a token sequence, as JSON
 * {@code {"logits": [...]}}. Needs only {@code config.json} and the safetensors files, so that other tools can
 * compare their forward pass with ours.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Print the last position's logits for the given token ids as JSON {\"logits\": [...]}.")
public final class ForwardCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory (config.json + *.safetensors).")
    Path model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID",
            description = "Comma-separated input token ids, e.g. 1,2,3.")
    List<Long> tokens;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the JSON here instead of stdout.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("--tokens needs at least one token id");
        }
        float[] logits;
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.auto());
             NDManager manager = llama.manager().newSubManager()) {
            int vocab = llama.config().vocabSize();
            long[] ids = tokens.stream().mapToLong(Long::longValue).toArray();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= vocab) {
                    throw new IllegalArgumentException("--tokens[" + i + "] = " + ids[i]
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
            NDArray input = manager.create(ids, new Shape(1, ids.length));                // (1, T)
            NDArray last = llama.forwardLast(input, null, null);                           // (1, V)
            logits = last.toType(DataType.FLOAT32, false).toFloatArray();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("logits", logits);
        String text = Json.write(json);
        if (output != null) {
            Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
        } else {
            System.out.println(text);
        }
        return 0;
    }

    @Override
    public String toString() {
        return "forward " + model + " " + Arrays.toString(tokens.toArray());
    }
}
