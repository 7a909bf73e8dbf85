package io.tuneforge.tuning.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tuneforge.tuning.model.LinearLayer;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.Projection;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;
import io.tuneforge.tuning.weights.TensorInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PEFT adapter directory: {@value #CONFIG_FILE} ({@link PeftConfigJson}) and
 * {@value #WEIGHTS_FILE} holding {@code lora_A} (r, in) and {@code lora_B} (out, r) per adapted
 * module under PEFT's names ({@link PeftNames}).
 *
 * <p>Loading checks everything before any array is made and reports every problem at once:
 * config fields, tensors that are not LoRA weights of this model's projections, a module adapted
 * though target_modules does not list it, a missing half of a pair, a module target_modules lists
 * but the file lacks, shapes against r and the base projection, then NaN/Inf values.
 */
final class PeftAdapterFiles {

    static final String CONFIG_FILE = "adapter_config.json";
    static final String WEIGHTS_FILE = "adapter_model.safetensors";
    static final String PICKLE_FILE = "adapter_model.bin";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterFiles() {
    }

    static void save(LoraAdapter adapter, Path dir, String baseModelNameOrPath) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter writer = new SafetensorsWriter().putMetadata("format", "pt");
            adapter.trainableParameters().forEach((name, array) -> writer.add(name, array, SafetensorsDtype.F32));
            writer.write(dir.resolve(WEIGHTS_FILE));
            byte[] json = (JSON.writeValueAsString(PeftConfigJson.write(adapter.config(), baseModelNameOrPath)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            Path tmp = dir.resolve(CONFIG_FILE + ".tmp");
            Files.write(tmp, json);
            Files.move(tmp, dir.resolve(CONFIG_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write LoRA adapter to " + dir + ": " + e.getMessage(), e);
        }
    }

    static LoraAdapter load(Path dir, LlamaModel model, long seed) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new MalformedAdapterException(dir, List.of("not a directory; expected one holding " + CONFIG_FILE
                    + " and " + WEIGHTS_FILE));
        }
        JsonNode root = readConfig(dir.resolve(CONFIG_FILE), problems);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            problems.add(Files.exists(dir.resolve(PICKLE_FILE))
                    ? PICKLE_FILE + " (a pickle) is not read; save the adapter with safe_serialization=True to get "
                    + WEIGHTS_FILE
                    : "missing " + WEIGHTS_FILE);
        }
        Map<String, LinearLayer> linears = model.linears();
        LoraConfig config = root == null ? null : PeftConfigJson.read(root, linears.keySet(), problems);
        if (!problems.isEmpty()) {
            throw new MalformedAdapterException(dir, problems);
        }
        SafetensorsReader reader;
        try {
            reader = SafetensorsReader.open(weights);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new MalformedAdapterException(dir, List.of(WEIGHTS_FILE + " is not a readable safetensors file: "
                    + e.getMessage()));
        }
        try (reader) {
            Map<String, String[]> pairs = pairs(reader, config, linears, problems);
            if (!problems.isEmpty()) {
                throw new MalformedAdapterException(dir, problems);
            }
            try (NDManager staging = model.manager().newSubManager()) {
                Map<String, NDArray[]> values = new LinkedHashMap<>();
                pairs.forEach((module, names) -> {
                    NDArray a = reader.read(names[0], staging, DataType.FLOAT32);        // (r, in)
                    NDArray b = reader.read(names[1], staging, DataType.FLOAT32);        // (out, r)
                    finite(module, "lora_A", a, problems);
                    finite(module, "lora_B", b, problems);
                    values.put(module, new NDArray[] {a, b});
                });
                if (!problems.isEmpty()) {
                    throw new MalformedAdapterException(dir, problems);
                }
                LoraAdapter adapter = LoraAdapter.attach(model, config, seed, (module, base) -> values.get(module));
                JsonNode base = root.get("base_model_name_or_path");
                adapter.setBaseModelNameOrPath(base == null || base.isNull() ? null : base.asText());
                return adapter;
            }
        }
    }

    private static JsonNode readConfig(Path file, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("missing " + CONFIG_FILE);
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            problems.add(CONFIG_FILE + " is not valid JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Module → {lora_A name, lora_B name} for every module the config targets; problems otherwise. */
    private static Map<String, String[]> pairs(SafetensorsReader reader, LoraConfig config,
                                               Map<String, LinearLayer> linears, List<String> problems) {
        Map<String, String[]> found = new LinkedHashMap<>();
        for (String name : reader.names()) {
            PeftNames.Key key = PeftNames.parse(name);
            if (key == null) {
                problems.add("unexpected tensor '" + name + "': a LoRA adapter of a causal LM holds only "
                        + "base_model.model.model.layers.{i}.{self_attn|mlp}.{proj}.lora_{A|B}.weight");
                continue;
            }
            LinearLayer base = linears.get(key.module());
            if (base == null) {
                problems.add("tensor '" + name + "' adapts " + key.module() + ", a target module not in the model ("
                        + linears.size() / Projection.values().length + " layers of q/k/v/o/gate/up/down_proj)");
                continue;
            }
            Projection p = LoraAdapter.projectionOf(key.module());
            if (!config.targets(p)) {
                problems.add("tensor '" + name + "' adapts " + p.moduleName() + " but target_modules "
                        + config.targetModules() + " does not list it");
                continue;
            }
            TensorInfo info = reader.info(name);
            if (!info.dtype().isFloating()) {
                problems.add("tensor '" + name + "' is " + info.dtype() + "; LoRA weights are F32, F16 or BF16");
            }
            String[] pair = found.computeIfAbsent(key.module(), m -> new String[2]);
            int i = key.part().ordinal();
            if (pair[i] != null) {
                problems.add("two tensors for " + PeftNames.name(key.module(), key.part()) + ": '" + pair[i]
                        + "' and '" + name + "'");
            }
            pair[i] = name;
            Shape expected = key.part() == PeftNames.Part.A
                    ? new Shape(config.r(), base.inFeatures()) : new Shape(base.outFeatures(), config.r());
            if (!info.shape().equals(expected)) {
                problems.add("lora_" + key.part() + " of " + key.module() + " has shape " + info.shape() + " but r = "
                        + config.r() + " and the base projection (in " + base.inFeatures() + ", out "
                        + base.outFeatures() + ") need " + expected);
            }
        }
        Map<String, String[]> ordered = new LinkedHashMap<>();
        linears.keySet().forEach(module -> {
            if (!config.targets(LoraAdapter.projectionOf(module))) {
                return;
            }
            String[] pair = found.get(module);
            if (pair == null) {
                problems.add("missing lora_A and lora_B of " + module + " (target_modules lists "
                        + LoraAdapter.projectionOf(module).moduleName() + ")");
            } else if (pair[0] == null || pair[1] == null) {
                problems.add("missing pair: " + module + " has lora_" + (pair[0] == null ? "B but no lora_A"
                        : "A but no lora_B"));
            } else {
                ordered.put(module, pair);
            }
        });
        return ordered;
    }

    private static void finite(String module, String part, NDArray a, List<String> problems) {
        if (a.isNaN().any().getBoolean()) {
            problems.add(part + " of " + module + " contains NaN");
        } else if (a.isInfinite().any().getBoolean()) {
            problems.add(part + " of " + module + " contains Inf");
        }
    }
}
