package io.tuneforge.tuning.export.gguf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
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
 * (measured 1.0e-2); the last two are the weights' rounding. Greedy continuations are compared for f32 only: rounded
 * weights may legitimately flip near-ties of a random tiny model.
 *
 * <p>Skipped, loudly, when {@code node} or the installed package is missing (no network at test time).
 */
class LlamaCppCheckTest {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "<|im_start|>user\nHello, GGUF! Größe 42 — 你好<|im_end|>\n";
    private static final int STEPS = 12;

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
        JsonNode out = runNode(gguf, prompt);
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
        System.out.printf("llama.cpp vs TuneForge, %s %s: max |Δlogit| = %.3g (token %d), max |logit| = %.3g, "
                + "relative %.3g%n", model.getFileName(), type.label(), maxDiff, worst, maxAbs, maxDiff / maxAbs);
        assertTrue(maxDiff <= relTolerance * maxAbs, type.label() + ": llama.cpp's logit of token " + worst + " is "
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

    private static JsonNode runNode(Path gguf, long[] prompt) throws Exception {
        Process p = new ProcessBuilder("node", "llama-cpp-check.mjs", gguf.toAbsolutePath().toString(),
                JSON.writeValueAsString(prompt), Integer.toString(STEPS), TEXT)
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
