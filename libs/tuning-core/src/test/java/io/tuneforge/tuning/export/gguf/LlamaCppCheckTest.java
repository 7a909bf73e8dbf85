package io.tuneforge.tuning.export.gguf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.model.ModelConfig;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsWriter;
import io.tuneforge.tuning.model.RopeScaling;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The independent check: llama.cpp (node-llama-cpp's prebuilt CPU binary, installed by {@code npm ci} into
 * {@code src/test/node} during generate-test-resources) loads our GGUF of the tiny model, and its next-token logits
 * for the same token ids equal ours, its greedy continuation equals ours, and it tokenizes text as our tokenizer does.
 *
 * <p>Tolerances on max |ours − llama.cpp| over the vocabulary, relative to max |logit| (llama.cpp run with an f32
 * key/value cache and no flash attention): f32 1e-5 (measured 2.2e-7), f16 3e-3 (measured 4.3e-4) and q8_0 3e-2
 * (measured 1.0e-2), q4_0 0.3 (measured 0.20); those are the weights' rounding. Against our run of the weights decoded
 * back from the quantized file, llama.cpp on q8_0 and q4_0 agrees to 2e-2 (measured 7.9e-3 and 7.8e-3: its kernels
 * round activations to q8_0), which pins the block layouts. Greedy continuations are compared for f32 only: rounded
 * weights may legitimately flip near-ties of a random tiny model.
 *
 * <p>Skipped, loudly, when {@code node} or the installed package is missing (no network at test time).
 */
class LlamaCppCheckTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "<|im_start|>user\nHello, GGUF! Größe 42 — 你好<|im_end|>\n";
    private static final int STEPS = 12;
    /** llama.cpp on q8_0/q4_0 weights vs our f32 run of the same (decoded) weights; see {@link #dequantized}. */
    private static final double Q8_ACTIVATIONS = 2e-2; // measured 7.9e-3 (q8_0) and 7.8e-3 (q4_0)
    private static final SafetensorsDtype F32 = SafetensorsDtype.F32;

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void tinyModel() {
        String why = null;
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/node-llama-cpp"))
                || !Files.isDirectory(NODE_DIR.resolve("node_modules/@node-llama-cpp/linux-x64/bins"))) {
            why = "node-llama-cpp is not installed in " + NODE_DIR.toAbsolutePath()
                    + " (run: cd " + NODE_DIR + " && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --omit=optional)";
        } else if (!nodeWorks()) {
            why = "`node` (>= 20) is not on the PATH";
        }
        if (why != null) {
            System.err.println("\n*** SKIPPING the llama.cpp GGUF check: " + why + " ***\n");
            Assumptions.abort(why);
        }
        model = tmp.resolve("tiny");
        TinyModel.write(model, TinySpec.defaults());
    }

    private static boolean nodeWorks() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && v.matches("v(2\\d|[3-9]\\d).*");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void f32LogitsGreedyContinuationAndTokensEqualOurs() throws Exception {
        Result r = compare(model, GgufType.F32, 1e-5);
        assertArrayEquals(r.oursGreedy, r.llamaGreedy, "greedy continuation: ours " + Arrays.toString(r.oursGreedy)
                + ", llama.cpp " + Arrays.toString(r.llamaGreedy));
        assertTrue(r.llamaGreedy.length >= 4, "a continuation of several tokens: " + Arrays.toString(r.llamaGreedy));
        assertArrayEquals(r.ourTextTokens, r.llamaTextTokens, "tokens of " + TEXT);
        assertTrue(r.eog.contains((long) TinySpec.IM_END_ID) && r.eog.contains((long) TinySpec.END_OF_TEXT_ID),
                "llama.cpp's end-of-generation tokens " + r.eog + " include <|im_end|> and <|endoftext|>");
    }

    @Test
    void f16LogitsEqualOursWithinWeightRounding() throws Exception {
        compare(model, GgufType.F16, 3e-3);
    }

    @Test
    void q8LogitsEqualOursWithinQuantization() throws Exception {
        compare(model, GgufType.Q8_0, 3e-2);
        Path gguf = GgufConverter.convert(model, GgufType.Q8_0, tmp.resolve("q8/model.gguf")).file();
        compare(dequantized(model, gguf), gguf, "q8_0 vs its decoded weights", Q8_ACTIVATIONS);
    }

    @Test
    void q4LogitsEqualOursWithinQuantization() throws Exception {
        compare(model, GgufType.Q4_0, 0.3);
        Path gguf = GgufConverter.convert(model, GgufType.Q4_0, tmp.resolve("q4/model.gguf")).file();
        compare(dequantized(model, gguf), gguf, "q4_0 vs its decoded weights", Q8_ACTIVATIONS);
    }

    /**
     * The model llama.cpp really runs for a quantized type: our GGUF decoded back into a Hugging Face directory.
     * Its f32 GGUF must match llama.cpp on the quantized file up to llama.cpp's own activation rounding (its CPU
     * kernels multiply q8_0/q4_0 weights with activations quantized to q8_0), which checks the block layout far more
     * tightly than the comparison with the unquantized model.
     */
    private static Path dequantized(Path model, Path gguf) throws Exception {
        GgufFile g = GgufReader.read(gguf);
        Path dir = tmp.resolve(model.getFileName() + "-decoded-" + gguf.getParent().getFileName());
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            Files.copy(model.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ModelConfig c = ModelConfig.read(model);
        SafetensorsWriter w = new SafetensorsWriter();
        w.addFloats("model.embed_tokens.weight", shape(g, "token_embd.weight"), g.readFloats("token_embd.weight"), F32);
        w.addFloats("lm_head.weight", shape(g, "output.weight"), g.readFloats("output.weight"), F32);
        w.addFloats("model.norm.weight", shape(g, "output_norm.weight"), g.readFloats("output_norm.weight"), F32);
        String[][] names = {{"attn_norm", "input_layernorm"}, {"ffn_norm", "post_attention_layernorm"},
            {"attn_q", "self_attn.q_proj"}, {"attn_k", "self_attn.k_proj"}, {"attn_v", "self_attn.v_proj"},
            {"attn_output", "self_attn.o_proj"}, {"ffn_gate", "mlp.gate_proj"}, {"ffn_up", "mlp.up_proj"},
            {"ffn_down", "mlp.down_proj"}};
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            for (String[] n : names) {
                String src = "blk." + i + "." + n[0] + ".weight";
                float[] v = g.readFloats(src);
                Shape shape = shape(g, src);
                if (n[0].equals("attn_q") || n[0].equals("attn_k")) {
                    int heads = n[0].equals("attn_q") ? c.numAttentionHeads() : c.numKeyValueHeads();
                    v = GgufConverterTest.unpermute(v, (int) shape.get(0), heads);
                }
                w.addFloats("model.layers." + i + "." + n[1] + ".weight", shape, v, F32);
            }
        }
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    private static Shape shape(GgufFile g, String name) {
        return new Shape(g.tensor(name).shape());
    }

    @Test
    void bpeMergesTokenizeAsHuggingFaceDoes() throws Exception {
        Path merged = tmp.resolve("merges");
        TinyModel.write(merged, TinySpec.defaults());
        Path file = merged.resolve("tokenizer.json");
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(file.toFile());
        com.fasterxml.jackson.databind.node.ObjectNode vocab = (com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("model").get("vocab");
        com.fasterxml.jackson.databind.node.ArrayNode merges = (com.fasterxml.jackson.databind.node.ArrayNode)
                root.get("model").get("merges");
        // the merged tokens take the ids of control bytes 1..6 (which the text never uses), so that the model
        // vocabulary stays below the added tokens' ids 256..258 as Hugging Face tokenizers expects
        String[] alphabet = io.tuneforge.tuning.tokenizer.ByteLevelTokenizerFiles.byteToUnicode();
        String[][] rules = {{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"Ġ", "a"}, {"Ġa", "n"}};
        for (int i = 0; i < rules.length; i++) {
            vocab.remove(alphabet[1 + i]);
            vocab.put(rules[i][0] + rules[i][1], 1 + i);
            merges.add(rules[i][0] + " " + rules[i][1]);
        }
        JSON.writeValue(file.toFile(), root);
        String text = "the cat in the hat and an ant then<|im_end|>";
        long[] ours;
        try (TextTokenizer tokenizer = TextTokenizer.load(merged)) {
            ours = tokenizer.encode(text);
        }
        assertTrue(Arrays.stream(ours).anyMatch(id -> id == 3), "our tokenizer applies the merges (Ġthe = 3): "
                + Arrays.toString(ours));
        Path gguf = GgufConverter.convert(merged, GgufType.F32, tmp.resolve("merges.gguf")).file();
        assertEquals(rules.length, GgufReader.read(gguf).get("tokenizer.ggml.merges").asList().size());
        JsonNode out = runNode(gguf, new long[] {1, 2, 3}, 1, text);
        assertArrayEquals(ours, longs(out.get("textTokens")), "llama.cpp's tokens of '" + text + "'");
    }

    @Test
    void qwen2WithBiasesAndTiedEmbeddingsMatches() throws Exception {
        Path qwen = tmp.resolve("qwen2");
        TinyModel.write(qwen, TinySpec.defaults().asQwen2());
        Result r = compare(qwen, GgufType.F32, 1e-5);
        assertArrayEquals(r.oursGreedy, r.llamaGreedy, "qwen2 greedy continuation");
    }

    @Test
    void llama3RopeScalingMatchesThroughRopeFreqs() throws Exception {
        Path scaled = tmp.resolve("llama3-rope");
        // original context 16: every frequency whose wavelength exceeds 4 tokens is scaled, so a wrong or missing
        // rope_freqs tensor changes the logits of a 40-token prompt
        TinyModel.write(scaled, TinySpec.defaults().withRopeScaling(RopeScaling.llama3(8, 1, 4, 16)));
        Result r = compare(scaled, GgufType.F32, 1e-5);
        assertArrayEquals(r.oursGreedy, r.llamaGreedy, "llama3-scaled greedy continuation");
    }

    private record Result(long[] oursGreedy, long[] llamaGreedy, long[] ourTextTokens, long[] llamaTextTokens,
                          List<Long> eog) {
    }

    private Result compare(Path model, GgufType type, double relTolerance) throws Exception {
        Path gguf = GgufConverter.convert(model, type, tmp.resolve(model.getFileName() + "-" + type.label()
                + "/model.gguf")).file();
        return compare(model, gguf, model.getFileName() + " " + type.label(), relTolerance);
    }

    /** llama.cpp on {@code gguf} against our forward pass of {@code model}. */
    private Result compare(Path model, Path gguf, String label, double relTolerance) throws Exception {
        long[] prompt;
        long[] ourTextTokens;
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            prompt = tokenizer.encode("<|im_start|>user\nWhat is GGUF?<|im_end|>\n<|im_start|>assistant\n");
            ourTextTokens = tokenizer.encode(TEXT);
        }
        float[] ours;
        long[] oursGreedy;
        try (LlamaModel m = LlamaModel.load(model, DeviceSettings.cpu()); NDManager nd = NDManager.newBaseManager()) {
            ours = lastLogits(m, nd, prompt);
            oursGreedy = greedy(m, nd, prompt);
        }
        JsonNode out = runNode(gguf, prompt, STEPS, TEXT);
        JsonNode logits = out.get("logits");
        assertEquals(ours.length, logits.size(), "vocabulary size seen by llama.cpp");
        double maxAbs = 0;
        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < ours.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(ours[i]));
            double d = Math.abs(ours[i] - logits.get(i).asDouble());
            if (d > maxDiff) {
                maxDiff = d;
                worst = i;
            }
        }
        System.out.printf("llama.cpp vs TuneForge, %s: max |Δlogit| = %.3g (token %d), max |logit| = %.3g, "
                + "relative %.3g%n", label, maxDiff, worst, maxAbs, maxDiff / maxAbs);
        assertTrue(maxDiff <= relTolerance * maxAbs, label + ": llama.cpp's logit of token " + worst + " is "
                + logits.get(Math.max(worst, 0)) + " but ours is " + ours[Math.max(worst, 0)] + " (max |Δ| " + maxDiff
                + " > " + relTolerance + " × max |logit| " + maxAbs + ")");
        return new Result(oursGreedy, longs(out.get("greedy")), ourTextTokens, longs(out.get("textTokens")),
                Arrays.stream(longs(out.get("eogTokens"))).boxed().toList());
    }

    private static float[] lastLogits(LlamaModel m, NDManager nd, long[] ids) {
        try (NDManager step = nd.newSubManager()) {
            NDArray input = step.create(ids, new Shape(1, ids.length));
            return m.forwardLast(input, null, null).toFloatArray();
        }
    }

    /** Argmax decoding by full recomputation (the model is tiny), stopping after an EOS id as llama.cpp does. */
    private static long[] greedy(LlamaModel m, NDManager nd, long[] prompt) {
        List<Long> seq = new ArrayList<>();
        for (long id : prompt) {
            seq.add(id);
        }
        List<Long> out = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            float[] logits = lastLogits(m, nd, seq.stream().mapToLong(Long::longValue).toArray());
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            out.add((long) best);
            seq.add((long) best);
            if (m.config().eosTokenIds().contains(best)) {
                break;
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static JsonNode runNode(Path gguf, long[] prompt, int steps, String text) throws Exception {
        Process p = new ProcessBuilder("node", "llama-cpp-check.mjs", gguf.toAbsolutePath().toString(),
                JSON.writeValueAsString(prompt), Integer.toString(steps), text)
                .directory(NODE_DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node llama-cpp-check.mjs did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), "node llama-cpp-check.mjs failed (its stderr is above); stdout: " + stdout);
        return JSON.readTree(stdout.lines().reduce((a, b) -> b).orElse("{}"));
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
