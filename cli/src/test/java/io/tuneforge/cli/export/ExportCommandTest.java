package io.tuneforge.cli.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.cli.client.CliRun;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.export.gguf.GgufFile;
import io.tuneforge.tuning.export.gguf.GgufReader;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tuneforge export} on the tiny model and an adapter with non-zero weights: files, summary, refusals. */
class ExportCommandTest {

    private static final long[] TOKENS = {5, 99, 257, 42};

    @TempDir
    static Path tmp;
    static Path base;
    static Path adapter;

    @BeforeAll
    static void modelAndAdapter() {
        base = tmp.resolve("base");
        TinyModel.write(base, TinySpec.defaults());
        adapter = tmp.resolve("adapter");
        try (LlamaModel model = LlamaModel.load(base, DeviceSettings.cpu());
             LoraAdapter lora = LoraAdapter.attach(model, LoraConfig.defaults(), 3);
             NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> values = new HashMap<>();
            lora.trainableParameters().forEach((name, p) -> values.put(name, m.randomNormal(0, 0.05f, p.getShape(),
                    p.getDataType())));
            lora.copyFrom(values);
            lora.save(adapter, base.toString());
        }
    }

    @Test
    void mergedDirectoryHasTheAdaptersLogitsAndASummary() throws Exception {
        Path out = tmp.resolve("merged");
        CliRun r = run("export", "--model", base.toString(), "--adapter", adapter.toString(), "--format", "merged",
                "--max-shard-size", "50kB", "--output", out.toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("export: merging adapter"), r.out());
        assertTrue(r.out().matches("(?s).*exported .*merged: \\d+ files, .* \\d+ tensors as F32 in \\d+ shards, .*"),
                r.out());
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")), "50kB limit → shards");
        float[] expected = logits(base, adapter);
        float[] merged = logits(out, null);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - merged[i]));
        }
        assertTrue(worst <= 1e-5, "merged vs base+adapter: " + worst);
    }

    @Test
    void ggufWithAnAdapterWritesTheFileAndAModelfile() throws Exception {
        Path out = tmp.resolve("gguf/model-q8_0.gguf");
        CliRun r = run("export", "--model", base.toString(), "--adapter", adapter.toString(), "--format", "gguf",
                "--gguf-type", "q8_0", "--output", out.toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("converting the merged model to GGUF q8_0"), r.out());
        assertTrue(Files.exists(out.resolveSibling("Modelfile")), "Ollama Modelfile beside the GGUF");
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(2, s.count(), "only the GGUF and the Modelfile: the temporary merged model is removed");
        }
        GgufFile g = GgufReader.read(out);
        assertTrue(g.tensors().size() > 0);
    }

    @Test
    void refusalsNameTheBadValue() throws Exception {
        CliRun type = run("export", "--model", base.toString(), "--format", "gguf", "--gguf-type", "q3_k",
                "--output", tmp.resolve("x.gguf").toString());
        assertEquals(1, type.code());
        assertTrue(type.err().contains("GGUF type 'q3_k' is not supported; use one of f32, f16"), type.err());

        CliRun format = run("export", "--model", base.toString(), "--format", "onnx", "--output",
                tmp.resolve("y").toString());
        assertTrue(format.err().contains("--format 'onnx' is not supported; use merged"), format.err());

        Path other = tmp.resolve("other");
        TinyModel.write(other, TinySpec.defaults().withSizes(32, 2, 4, 2, 96));
        Path out = tmp.resolve("mismatch");
        CliRun mismatch = run("export", "--model", other.toString(), "--adapter", adapter.toString(), "--format",
                "merged", "--output", out.toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("q_proj") && mismatch.err().contains("(32"), mismatch.err());
        assertFalse(Files.exists(out), "a failed export leaves no output");

        assertThrows(IllegalArgumentException.class, () -> ExportCommand.parseSize("5 parsecs"));
        assertEquals(2_000_000L, ExportCommand.parseSize("2MB"));
        assertEquals(2L << 30, ExportCommand.parseSize("2GiB"));
    }

    private static float[] logits(Path model, Path adapterDir) {
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.cpu());
             LoraAdapter lora = adapterDir == null ? null : LoraAdapter.load(adapterDir, llama);
             NDManager m = NDManager.newBaseManager();
             NDArray out = llama.forward(m.create(TOKENS, new Shape(1, TOKENS.length)), null, null)) {
            return out.toFloatArray();
        }
    }


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
