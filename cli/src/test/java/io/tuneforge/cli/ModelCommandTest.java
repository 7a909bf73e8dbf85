package io.tuneforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code tuneforge model} commands as a script would use them: arguments in, files and JSON out. */
class ModelCommandTest {

    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void writeTinyModel() {
        model = tmp.resolve("tiny");
        assertEquals(0, TuneForgeCli.run("model", "init-tiny", "--output", model.toString()));
    }

    @Test
    void initTinyIsDeterministicForASeedAndDiffersAcrossSeeds() throws Exception {
        Path again = tmp.resolve("again");
        Path other = tmp.resolve("other");
        assertEquals(0, TuneForgeCli.run("model", "init-tiny", "--output", again.toString()));
        assertEquals(0, TuneForgeCli.run("model", "init-tiny", "--output", other.toString(), "--seed", "7"));
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        assertArrayEquals(weights, Files.readAllBytes(again.resolve("model.safetensors")));
        assertTrue(!java.util.Arrays.equals(weights, Files.readAllBytes(other.resolve("model.safetensors"))));
        for (String file : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"}) {
            assertTrue(Files.isRegularFile(model.resolve(file)), file + " written");
        }
    }

    @Test
    void initTinyTakesTheSizeOptions() throws Exception {
        Path sized = tmp.resolve("sized");
        assertEquals(0, TuneForgeCli.run("model", "init-tiny", "--output", sized.toString(), "--hidden-size", "32",
                "--layers", "3", "--heads", "4", "--kv-heads", "1", "--intermediate-size", "64", "--max-position", "128"));
        JsonNode config = Json.mapper().readTree(sized.resolve("config.json").toFile());
        assertEquals(32, config.get("hidden_size").asInt());
        assertEquals(3, config.get("num_hidden_layers").asInt());
        assertEquals(1, config.get("num_key_value_heads").asInt());
        assertEquals(64, config.get("intermediate_size").asInt());
        assertEquals(128, config.get("max_position_embeddings").asInt());
    }

    @Test
    void forwardWritesTheLastPositionsLogitsAndDependsOnTheTokens() throws Exception {
        Path first = tmp.resolve("first.json");
        Path second = tmp.resolve("second.json");
        assertEquals(0, TuneForgeCli.run("model", "forward", "--model", model.toString(), "--tokens", "1,2,3",
                "--output", first.toString()));
        assertEquals(0, TuneForgeCli.run("model", "forward", "--model", model.toString(), "--tokens", "1,2,4",
                "--output", second.toString()));
        JsonNode a = Json.mapper().readTree(first.toFile()).get("logits");
        JsonNode b = Json.mapper().readTree(second.toFile()).get("logits");
        assertEquals(320, a.size(), "one logit per vocabulary entry");
        assertTrue(!a.equals(b), "the last token changes the logits");
        for (JsonNode v : a) {
            assertTrue(Double.isFinite(v.asDouble()));
        }
    }

    @Test
    void forwardWorksOnADirectoryWithOnlyConfigAndWeights() throws Exception {
        Path bare = tmp.resolve("bare");
        Files.createDirectories(bare);
        Files.copy(model.resolve("config.json"), bare.resolve("config.json"));
        Files.copy(model.resolve("model.safetensors"), bare.resolve("model.safetensors"));
        Path out = tmp.resolve("bare.json");
        assertEquals(0, TuneForgeCli.run("model", "forward", "--model", bare.toString(), "--tokens", "5",
                "--output", out.toString()));
        assertEquals(320, Json.mapper().readTree(out.toFile()).get("logits").size());
    }

    @Test
    void forwardRefusesATokenOutsideTheVocabularyNamingIt() {
        String err = stderrOf(() -> assertEquals(1, TuneForgeCli.run("model", "forward", "--model", model.toString(),
                "--tokens", "1,999")));
        assertTrue(err.contains("--tokens[1] = 999") && err.contains("[0, 320)"), err);
    }

    @Test
    void generateIsRepeatableWithGreedyDecoding() {
        String first = stdoutOf(() -> assertEquals(0, TuneForgeCli.run("model", "generate", "--model",
                model.toString(), "--prompt", "Hello 你好", "--max-new-tokens", "8")));
        String second = stdoutOf(() -> assertEquals(0, TuneForgeCli.run("model", "generate", "--model",
                model.toString(), "--prompt", "Hello 你好", "--max-new-tokens", "8")));
        assertEquals(first, second);
    }

    @Test
    void generateAppliesAPeftAdapter() throws Exception {
        Path adapter = tmp.resolve("adapter");
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.attach(llama, LoraConfig.defaults(), 1);
             NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> values = new LinkedHashMap<>();
            lora.trainableParameters().forEach((name, p) -> values.put(name,
                    manager.randomNormal(0, 0.5f, p.getShape(), DataType.FLOAT32)));
            lora.copyFrom(values);
            lora.save(adapter, model.toString());
        }
        String[] base = {"model", "generate", "--model", model.toString(), "--prompt", "Hi", "--max-new-tokens", "6"};
        String plain = stdoutOf(() -> assertEquals(0, TuneForgeCli.run(base)));
        String[] withAdapter = java.util.Arrays.copyOf(base, base.length + 2);
        withAdapter[base.length] = "--adapter";
        withAdapter[base.length + 1] = adapter.toString();
        String adapted = stdoutOf(() -> assertEquals(0, TuneForgeCli.run(withAdapter)));
        assertTrue(!plain.equals(adapted), "a strong adapter changes the greedy text");
    }

    @Test
    void generateRefusesAMalformedAdapterWithTheReason() throws Exception {
        Path broken = tmp.resolve("broken-adapter");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("adapter_config.json"), "{\"peft_type\": \"IA3\"}");
        String err = stderrOf(() -> assertEquals(1, TuneForgeCli.run("model", "generate", "--model", model.toString(),
                "--adapter", broken.toString(), "--prompt", "x")));
        assertTrue(err.contains("IA3"), err);
    }

    @Test
    void generateRefusesBadSamplingSettingsWithTheReason() {
        String err = stderrOf(() -> assertEquals(1, TuneForgeCli.run("model", "generate", "--model", model.toString(),
                "--prompt", "x", "--top-p", "0")));
        assertTrue(err.contains("topP must be in (0, 1]"), err);
    }

    private static String stdoutOf(Runnable action) {
        return capture(action, true);
    }

    private static String stderrOf(Runnable action) {
        return capture(action, false);
    }

    private static String capture(Runnable action, boolean stdout) {
        PrintStream original = stdout ? System.out : System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        if (stdout) {
            System.setOut(capture);
        } else {
            System.setErr(capture);
        }
        try {
            action.run();
        } finally {
            if (stdout) {
                System.setOut(original);
            } else {
                System.setErr(original);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
