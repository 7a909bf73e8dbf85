package io.tuneforge.tuning.tiny;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.chat.ChatTemplates;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsWriter;
import io.tuneforge.tuning.weights.WeightNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a deterministic tiny Llama-architecture model in Hugging Face layout — the model every
 * test, the demo and the benchmarks run, made by code instead of downloaded.
 *
 * <p>Files: {@code config.json}, {@code model.safetensors} (f32), {@code generation_config.json},
 * and the byte-level tokenizer ({@code tokenizer.json}, {@code tokenizer_config.json} with the
 * ChatML template) from {@link ByteLevelTokenizerFiles}.
 *
 * <p>Weights: each tensor is a function of (seed, tensor name) only — a {@link SplittableRandom}
 * seeded from both feeds a Box–Muller transform computed with {@link StrictMath}, so the bytes are
 * the same on every JVM and platform. Linear and embedding weights (and q/k/v biases) are
 * normal(0, initStd); RMSNorm weights are 1. With initStd 0.02 and hidden 64 the final norm
 * rescales the residual stream to unit RMS, so logits have a standard deviation of about
 * √64 · 0.02 ≈ 0.16 — distinct per token, not all ~0.
 */
public final class TinyModel {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TinyModel() {
    }

    /**
     * Writes the model into {@code dir} (created if missing; existing files replaced).
     *
     * @return the config written
     */
    public static ModelConfig write(Path dir, TinySpec spec) {
        ModelConfig config = spec.toConfig();
        try {
            Files.createDirectories(dir);
            config.write(dir);
            writeWeights(dir.resolve("model.safetensors"), spec, config);
            writeGenerationConfig(dir, config);
            ByteLevelTokenizerFiles.write(dir, ByteLevelTokenizerFiles.CHATML_SPECIAL_TOKENS, ChatTemplates.CHATML);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tiny model into " + dir + ": " + e.getMessage(), e);
        }
        return config;
    }

    private static void writeWeights(Path file, TinySpec spec, ModelConfig config) {
        SafetensorsWriter writer = new SafetensorsWriter()
                .putMetadata("format", "pt")
                .putMetadata("tuneforge.tiny.seed", Long.toString(spec.seed()));
        WeightNames.expectedShapes(config).forEach((name, shape) -> writer.addFloats(name, shape,
                () -> values(spec, name, shape), SafetensorsDtype.F32));
        writer.write(file);
    }

    /** The values of one tensor: ones for norms, normal(0, initStd) otherwise. */
    static float[] values(TinySpec spec, String name, Shape shape) {
        float[] out = new float[Math.toIntExact(shape.size())];
        if (name.endsWith("norm.weight")) {
            java.util.Arrays.fill(out, 1f);
            return out;
        }
        SplittableRandom random = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + name.hashCode());
        for (int i = 0; i < out.length; i += 2) {
            // Box–Muller: two independent standard normals from two uniforms, u1 in (0, 1].
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * spec.initStd();
            out[i] = (float) (r * StrictMath.cos(2 * Math.PI * u2));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (r * StrictMath.sin(2 * Math.PI * u2));
            }
        }
        return out;
    }

    private static void writeGenerationConfig(Path dir, ModelConfig config) throws IOException {
        ObjectNode g = JSON.createObjectNode();
        ArrayNode eos = g.putArray("eos_token_id");
        config.eosTokenIds().forEach(eos::add);
        g.put("pad_token_id", config.padTokenId());
        g.put("do_sample", false);
        JSON.writeValue(dir.resolve("generation_config.json").toFile(), g);
    }
}
