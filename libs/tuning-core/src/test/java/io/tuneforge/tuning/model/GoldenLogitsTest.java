package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java decoder against an independent float64 PyTorch implementation
 * ({@code src/test/python/llama_reference.py}): same tiny models (regenerated here from their seed),
 * same tokens, logits of the last three positions within 1e-4.
 */
class GoldenLogitsTest {

    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "qwen2-tied", "llama3-rope", "mistral-window"})
    void logitsMatchTheReference(String variant) throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/" + variant + ".json")) {
            golden = JSON.readTree(in);
        }
        TinySpec spec = GoldenVariants.all().get(variant);
        ModelConfig written = TinyModel.write(dir, spec);
        assertEquals(ModelConfig.fromJson(golden.get("config").toString()), written,
                "the golden file's config.json differs from what TinySpec writes now; regenerate per golden/README.md");
        assertEquals(golden.get("weights_sha256").asText(), sha256(dir.resolve("model.safetensors")),
                "TinyModel's weights for " + variant + " changed; regenerate the golden files per golden/README.md");

        try (LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager manager = NDManager.newBaseManager()) {
            for (JsonNode c : golden.get("cases")) {
                NDArray ids = manager.create(longs2d(c.get("input_ids")));
                NDArray mask = manager.create(longs2d(c.get("attention_mask")));
                NDArray logits = model.forward(ids, mask, null); // (B, T, V)
                long vocab = logits.getShape().get(2);
                assertEquals(new Shape(ids.getShape().get(0), ids.getShape().get(1), written.vocabSize()),
                        logits.getShape());
                float[] all = logits.toFloatArray();
                long t = logits.getShape().get(1);
                double worst = 0;
                JsonNode expectedRows = c.get("logits");
                for (int b = 0; b < expectedRows.size(); b++) {
                    JsonNode positions = c.get("positions");
                    for (int k = 0; k < positions.size(); k++) {
                        int pos = positions.get(k).asInt();
                        JsonNode expected = expectedRows.get(b).get(k);
                        for (int v = 0; v < vocab; v++) {
                            double actual = all[(int) ((b * t + pos) * vocab + v)];
                            worst = Math.max(worst, Math.abs(actual - expected.get(v).asDouble()));
                        }
                    }
                }
                assertTrue(worst <= TOLERANCE, variant + "/" + c.get("name").asText() + ": max |Δlogit| = " + worst
                        + " > " + TOLERANCE);
                System.out.printf("golden %s/%s: max |Δlogit| = %.2e%n", variant, c.get("name").asText(), worst);
                logits.close();
            }
        }
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

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
