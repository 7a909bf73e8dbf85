package io.tuneforge.tuning.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.model.Linear;
import io.tuneforge.tuning.model.TinyModelFixture;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.tuneforge.tuning.peft.LoraTesting.logits;
import static io.tuneforge.tuning.peft.LoraTesting.randomizeB;
import static io.tuneforge.tuning.peft.LoraTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEFT's adapter files: what is written, that it reads back identically, and what is refused and why. */
class PeftFormatTest extends TinyModelFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void noAdapterLeftAttached() {
        model.linears().values().forEach(l -> assertTrue(l instanceof Linear, "adapter left attached: " + l));
    }

    @Test
    void savedAdapterReadsBackIdentically() throws Exception {
        LoraConfig config = new LoraConfig(8, 12.5, 0.05, List.of("k_proj", "o_proj", "up_proj"), true);
        Map<String, float[]> saved = new LinkedHashMap<>();
        float[] adapted;
        NDArray ids = tokens(manager, 1, 10, 2);
        try (LoraAdapter lora = LoraAdapter.attach(model, config, 21)) {
            randomizeB(lora, 21, 0.05);
            lora.trainableParameters().forEach((n, p) -> saved.put(n, p.toFloatArray()));
            adapted = logits(model, ids);
            lora.save(dir, "s3://tuneforge/models/tiny/");
        }
        JsonNode cfg = JSON.readTree(dir.resolve("adapter_config.json").toFile());
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
        assertEquals(8, cfg.get("r").asInt());
        assertEquals(12.5, cfg.get("lora_alpha").asDouble());
        assertEquals(0.05, cfg.get("lora_dropout").asDouble());
        assertEquals(JSON.readTree("[\"k_proj\",\"o_proj\",\"up_proj\"]"), cfg.get("target_modules"));
        assertEquals("none", cfg.get("bias").asText());
        assertTrue(cfg.get("use_rslora").asBoolean());
        assertEquals("s3://tuneforge/models/tiny/", cfg.get("base_model_name_or_path").asText());
        assertEquals(false, cfg.get("fan_in_fan_out").asBoolean(true));
        assertEquals(true, cfg.get("init_lora_weights").asBoolean(false));
        assertEquals(true, cfg.get("inference_mode").asBoolean(false));
        for (String nullField : List.of("modules_to_save", "revision", "layers_to_transform", "layers_pattern")) {
            assertTrue(cfg.get(nullField).isNull(), nullField + " must be written as null");
        }
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("adapter_model.safetensors"))) {
            assertEquals(saved.keySet(), reader.names());
            assertEquals("pt", reader.metadata().get("format"));
            assertEquals(new Shape(8, 64), reader.info("base_model.model.model.layers.1.mlp.up_proj.lora_A.weight").shape());
            assertEquals(new Shape(176, 8), reader.info("base_model.model.model.layers.1.mlp.up_proj.lora_B.weight").shape());
            saved.keySet().forEach(n -> assertEquals(SafetensorsDtype.F32, reader.info(n).dtype()));
        }
        try (LoraAdapter back = LoraAdapter.load(dir, model)) {
            assertEquals(config, back.config());
            assertEquals("s3://tuneforge/models/tiny/", back.baseModelNameOrPath());
            assertEquals(saved.keySet(), back.trainableParameters().keySet());
            saved.forEach((n, v) -> assertArrayEquals(v, back.trainableParameters().get(n).toFloatArray(), n));
            assertArrayEquals(adapted, logits(model, ids));
            back.trainableParameters().values().forEach(p -> assertTrue(p.hasGradient(), "a loaded adapter trains on"));
        }
    }

    @Test
    void inMemoryKeysWithTheAdapterNameAndStringTargetsLoad() throws Exception {
        Map<String, float[]> values = new LinkedHashMap<>();
        writeAdapter(dir, config(), tensors(4, Set.of("q_proj", "down_proj")), c -> {
        });
        // rename every key to the state-dict form PEFT uses in memory (….lora_A.default.weight) and store the
        // halves as BF16 and F16, as PEFT saves adapters of half-precision models
        SafetensorsWriter renamed = new SafetensorsWriter();
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("adapter_model.safetensors"))) {
            for (String n : reader.names()) {
                renamed.addFloats(n.replace(".weight", ".default.weight"), reader.info(n).shape(), reader.readFloats(n),
                        n.contains("lora_A") ? SafetensorsDtype.BF16 : SafetensorsDtype.F16);
            }
        }
        renamed.write(dir.resolve("adapter_model.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("adapter_model.safetensors"))) {
            for (String n : reader.names()) {
                values.put(n.replace(".default.weight", ".weight"), reader.readFloats(n));
            }
        }
        ObjectNode cfg = config();
        cfg.put("target_modules", ".*\\.(q_proj|down_proj)");                     // a regex, matched in full
        Files.writeString(dir.resolve("adapter_config.json"), cfg.toString());
        try (LoraAdapter lora = LoraAdapter.load(dir, model)) {
            assertEquals(List.of("q_proj", "down_proj"), lora.config().targetModules());
            values.forEach((n, v) -> assertArrayEquals(v, lora.trainableParameters().get(n).toFloatArray(), n));
        }
        cfg.put("target_modules", "all-linear");
        Files.writeString(dir.resolve("adapter_config.json"), cfg.toString());
        MalformedAdapterException e = assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
        assertTrue(e.getMessage().contains("missing lora_A and lora_B of model.layers.0.self_attn.k_proj"),
                e.getMessage());
    }

    @Test
    void missingConfigFieldsAreAllNamed() throws Exception {
        MalformedAdapterException e = refused(c -> {
            c.remove("r");
            c.remove("lora_alpha");
            c.remove("target_modules");
            c.remove("peft_type");
        }, t -> {
        });
        assertEquals(4, e.problems().size(), e.getMessage());
        assertHas(e, "lacks \"r\"");
        assertHas(e, "lacks \"lora_alpha\"");
        assertHas(e, "lacks \"target_modules\"");
        assertHas(e, "lacks \"peft_type\" (expected \"LORA\")");
    }

    @Test
    void otherPeftTypesAndUnsupportedOptionsAreRefused() throws Exception {
        MalformedAdapterException e = refused(c -> {
            c.put("peft_type", "IA3");
            c.put("use_dora", true);
            c.put("bias", "all");
            c.put("task_type", "SEQ_CLS");
            c.putArray("modules_to_save").add("lm_head");
            c.put("use_qalora", true);
            c.put("peft_version", "0.17.1");                                     // unknown fields are ignored
        }, t -> {
        });
        assertHas(e, "peft_type \"IA3\" is not supported; only \"LORA\"");
        assertHas(e, "use_dora = true (DoRA");
        assertHas(e, "bias \"all\" is not supported");
        assertHas(e, "task_type \"SEQ_CLS\" is not supported");
        assertHas(e, "modules_to_save = [\"lm_head\"] is not supported");
        assertHas(e, "use_qalora = true");
        assertEquals(6, e.problems().size(), e.getMessage());
    }

    @Test
    void shapesAreCheckedAgainstTheBaseModelAndR() throws Exception {
        MalformedAdapterException e = refused(c -> {
        }, t -> {
            t.put("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new Shape(4, 65));   // in is 64
            t.put("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", new Shape(64, 3));      // r is 4
        });
        assertHas(e, "lora_A of model.layers.0.self_attn.q_proj has shape (4, 65) but r = 4 and the base projection"
                + " (in 64, out 64) need (4, 64)");
        assertHas(e, "lora_B of model.layers.1.mlp.down_proj has shape (64, 3) but r = 4");
        MalformedAdapterException r = refused(c -> c.put("r", 8), t -> {
        });
        assertTrue(r.problems().size() == 8, r.getMessage()); // every tensor of 2 layers × 2 modules × A/B
        assertHas(r, "but r = 8");
    }

    @Test
    void aMissingHalfOfAPairOrModuleIsRefused() throws Exception {
        MalformedAdapterException e = refused(c -> {
        }, t -> {
            t.remove("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight");
            t.remove("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight");
            t.remove("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight");
        });
        assertHas(e, "missing pair: model.layers.1.self_attn.q_proj has lora_A but no lora_B");
        assertHas(e, "missing lora_A and lora_B of model.layers.0.mlp.down_proj (target_modules lists down_proj)");
    }

    @Test
    void targetModulesNotInTheModelAreRefused() throws Exception {
        MalformedAdapterException e = refused(c -> c.putArray("target_modules").add("q_proj").add("down_proj")
                .add("c_attn"), t -> {
            t.put("base_model.model.model.layers.5.self_attn.q_proj.lora_A.weight", new Shape(4, 64));
            t.put("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", new Shape(4, 64));
        });
        assertHas(e, "target module \"c_attn\" is not in the model");
        e = refused(c -> {
        }, t -> {
            t.put("base_model.model.model.layers.5.self_attn.q_proj.lora_A.weight", new Shape(4, 64));
            t.put("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", new Shape(4, 64));
            t.put("base_model.model.lm_head.weight", new Shape(320, 64));
        });
        assertHas(e, "adapts model.layers.5.self_attn.q_proj, a target module not in the model (2 layers");
        assertHas(e, "adapts v_proj but target_modules [q_proj, down_proj] does not list it");
        assertHas(e, "unexpected tensor 'base_model.model.lm_head.weight'");
        e = refused(c -> c.put("target_modules", "model\\.layers\\.0\\..*q_proj"), t -> {
        });
        assertHas(e, "adapts q_proj in 1 of 2 layers; only adapters on every layer are supported");
    }

    @Test
    void nanAndInfValuesAreRefused() throws Exception {
        Map<String, Shape> shapes = tensors(4, Set.of("q_proj", "down_proj"));
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.forEach((n, s) -> values.put(n, new float[Math.toIntExact(s.size())]));
        values.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight")[5] = Float.NaN;
        values.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")[0] = Float.NEGATIVE_INFINITY;
        write(dir, config(), shapes, values);
        MalformedAdapterException e = assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
        assertHas(e, "lora_B of model.layers.1.mlp.down_proj contains NaN");
        assertHas(e, "lora_A of model.layers.0.self_attn.q_proj contains Inf");
    }

    @Test
    void missingOrUnreadableFilesAreRefused() throws Exception {
        MalformedAdapterException e = assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
        assertHas(e, "missing adapter_config.json");
        assertHas(e, "missing adapter_model.safetensors");
        Files.writeString(dir.resolve("adapter_config.json"), "{\"r\": 4,");
        Files.write(dir.resolve("adapter_model.bin"), new byte[] {1, 2, 3});
        e = assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
        assertHas(e, "adapter_config.json is not valid JSON");
        assertHas(e, "adapter_model.bin (a pickle) is not read");
        Files.writeString(dir.resolve("adapter_config.json"), config().toString());
        Files.write(dir.resolve("adapter_model.safetensors"), new byte[] {9, 9, 9});
        e = assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
        assertHas(e, "adapter_model.safetensors is not a readable safetensors file");
        assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir.resolve("absent"), model));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertHas(MalformedAdapterException e, String part) {
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }

    /** A valid config for r 4, alpha 8, q_proj + down_proj. */
    private static ObjectNode config() {
        return PeftConfigJson.write(new LoraConfig(4, 8, 0, List.of("q_proj", "down_proj"), false), "tiny");
    }

    /** Names and shapes of a valid adapter of rank r on the tiny model's projections. */
    private static Map<String, Shape> tensors(int r, Set<String> projections) {
        Map<String, Shape> out = new LinkedHashMap<>();
        model.linears().forEach((module, layer) -> {
            if (projections.contains(LoraAdapter.projectionOf(module).moduleName())) {
                out.put(PeftNames.loraA(module), new Shape(r, layer.inFeatures()));
                out.put(PeftNames.loraB(module), new Shape(layer.outFeatures(), r));
            }
        });
        return out;
    }

    /** Writes a valid adapter, edited by the two callbacks, and returns why loading refuses it. */
    private MalformedAdapterException refused(Consumer<ObjectNode> editConfig, Consumer<Map<String, Shape>> editTensors)
            throws Exception {
        writeAdapter(dir, config(), tensors(4, Set.of("q_proj", "down_proj")), c -> {
        });
        ObjectNode cfg = config();
        editConfig.accept(cfg);
        Map<String, Shape> shapes = tensors(4, Set.of("q_proj", "down_proj"));
        editTensors.accept(shapes);
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.forEach((n, s) -> values.put(n, ramp(s)));
        write(dir, cfg, shapes, values);
        return assertThrows(MalformedAdapterException.class, () -> LoraAdapter.load(dir, model));
    }

    private static void writeAdapter(Path dir, ObjectNode cfg, Map<String, Shape> shapes, Consumer<ObjectNode> edit)
            throws Exception {
        edit.accept(cfg);
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.forEach((n, s) -> values.put(n, ramp(s)));
        write(dir, cfg, shapes, values);
    }

    private static void write(Path dir, ObjectNode cfg, Map<String, Shape> shapes, Map<String, float[]> values)
            throws Exception {
        Files.writeString(dir.resolve("adapter_config.json"), cfg.toString());
        SafetensorsWriter writer = new SafetensorsWriter().putMetadata("format", "pt");
        shapes.forEach((n, s) -> writer.addFloats(n, s, values.get(n), SafetensorsDtype.F32));
        writer.write(dir.resolve("adapter_model.safetensors"));
    }

    private static float[] ramp(Shape s) {
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7 - 3) * 0.01f;
        }
        return v;
    }
}
