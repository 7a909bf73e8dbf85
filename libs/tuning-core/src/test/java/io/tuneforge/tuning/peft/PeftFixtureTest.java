package io.tuneforge.tuning.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An adapter written by hand in PEFT's format by {@code src/test/python/peft_adapter_fixture.py}
 * (no Java involved) loads here and gives the logits of the independent float64 reference forward
 * within 1e-4 (golden/peft/README.md).
 */
class PeftFixtureTest {

    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path modelDir;

    @Test
    void pythonWrittenAdapterGivesTheReferenceLogits() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/peft/expected.json")) {
            expected = JSON.readTree(in);
        }
        TinyModel.write(modelDir, TinySpec.defaults());
        assertEquals(expected.get("base_weights_sha256").asText(), sha256(modelDir.resolve("model.safetensors")),
                "TinyModel's default weights changed; regenerate golden/peft per its README.md");
        Path adapterDir = resource("/golden/peft/adapter");
        try (LlamaModel model = LlamaModel.load(modelDir, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.load(adapterDir, model);
             NDManager manager = NDManager.newBaseManager()) {
            assertEquals(new LoraConfig(4, 12, 0.1, List.of("q_proj", "v_proj", "down_proj"), false), lora.config());
            assertEquals("tuneforge/tiny-llama", lora.baseModelNameOrPath());
            assertEquals(6, lora.layers().size());
            for (JsonNode c : expected.get("cases")) {
                NDArray ids = manager.create(longs2d(c.get("input_ids")));
                NDArray mask = manager.create(longs2d(c.get("attention_mask")));
                NDArray logits = model.forward(ids, mask, null);                                 // (B, T, V)
                float[] all = logits.toFloatArray();
                long t = logits.getShape().get(1);
                long vocab = logits.getShape().get(2);
                double worst = 0;
                for (int b = 0; b < c.get("logits").size(); b++) {
                    for (int k = 0; k < c.get("positions").size(); k++) {
                        int pos = c.get("positions").get(k).asInt();
                        JsonNode row = c.get("logits").get(b).get(k);
                        for (int v = 0; v < vocab; v++) {
                            worst = Math.max(worst, Math.abs(all[(int) ((b * t + pos) * vocab + v)] - row.get(v).asDouble()));
                        }
                    }
                }
                assertTrue(c.get("max_adapter_effect").asDouble() > 100 * TOLERANCE,
                        "the fixture's adapter must move the logits well beyond the tolerance");
                assertTrue(worst <= TOLERANCE, c.get("name").asText() + ": max |Δlogit| = " + worst + " > " + TOLERANCE);
                System.out.printf("peft fixture %s: max |Δlogit| = %.2e (adapter effect %.3f)%n",
                        c.get("name").asText(), worst, c.get("max_adapter_effect").asDouble());
            }
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(PeftFixtureTest.class.getResource(name).toURI());
    }

    private static long[][] longs2d(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = new long[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).asLong();
            }
        }
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
