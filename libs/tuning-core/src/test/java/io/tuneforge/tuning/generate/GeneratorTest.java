package io.tuneforge.tuning.generate;

import ai.djl.pytorch.jni.JniUtils;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generation on the deterministic tiny model (random weights: the text is noise, the mechanics are not). */
class GeneratorTest {

    /** An EOS set no token can hit, so rows run to their length limit unless a test says otherwise. */
    private static final Set<Long> NO_EOS = Set.of(-1L);

    @TempDir
    static Path dir;
    static LlamaModel model;
    static TextTokenizer tokenizer;
    static Generator generator;

    @BeforeAll
    static void load() throws Exception {
        TinyModel.write(dir, TinySpec.defaults());
        model = LlamaModel.load(dir, DeviceSettings.cpu());
        tokenizer = TextTokenizer.load(dir);
        generator = new Generator(model, tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        model.close();
    }

    private static List<long[]> prompts() {
        return List.of(tokenizer.encode("Hi"),
                tokenizer.encode("The quick brown fox"),
                tokenizer.encode("你好"),
                tokenizer.encode("<|im_start|>user\nhello there<|im_end|>\n<|im_start|>assistant\n"));
    }

    @Test
    void batchedGreedyWithLeftPaddingEqualsUnbatchedTokenForToken() {
        GenerationConfig config = GenerationConfig.greedy(24).withEosIds(NO_EOS);
        List<GenerationResult> batched = generator.generate(prompts(), config);
        for (int b = 0; b < prompts().size(); b++) {
            GenerationResult alone = generator.generate(prompts().get(b), config);
            assertArrayEquals(alone.tokenIds(), batched.get(b).tokenIds(), "row " + b);
            assertEquals(alone, batched.get(b));
            assertEquals(FinishReason.LENGTH, alone.finishReason());
            assertEquals(24, alone.tokenIds().length);
            assertEquals(prompts().get(b).length, alone.promptTokens());
        }
    }

    @Test
    void rowsThatStopEarlyLeaveTheOthersUnchanged() {
        // Stop the second row early with a stop string taken from its own greedy text; the rows
        // still running must match their unbatched runs while the finished row is fed padding.
        GenerationConfig base = GenerationConfig.greedy(24).withEosIds(NO_EOS);
        int row = rowWithStopCandidate(base);
        long[] free = generator.generate(prompts().get(row), base).tokenIds();
        String stop = firstPrintablePair(tokenizer.decode(free, false));
        GenerationConfig config = base.withStopStrings(List.of(stop));
        List<GenerationResult> batched = generator.generate(prompts(), config);
        assertEquals(FinishReason.STOP_STRING, batched.get(row).finishReason());
        assertTrue(batched.get(row).tokenIds().length < 24);
        for (int b = 0; b < prompts().size(); b++) {
            assertEquals(generator.generate(prompts().get(b), config), batched.get(b), "row " + b);
        }
    }

    @Test
    void stopStringEndsTheRowAtTheTokenThatCompletesIt() {
        GenerationConfig base = GenerationConfig.greedy(24).withEosIds(NO_EOS);
        long[] prompt = prompts().get(rowWithStopCandidate(base));
        long[] free = generator.generate(prompt, base).tokenIds();
        String stop = firstPrintablePair(tokenizer.decode(free, false));
        int end = 1;
        while (!tokenizer.decode(Arrays.copyOf(free, end), false).contains(stop)) {
            end++;
        }
        GenerationResult result = generator.generate(prompt,
                GenerationConfig.greedy(24).withEosIds(NO_EOS).withStopStrings(List.of("never seen", stop)));
        assertEquals(FinishReason.STOP_STRING, result.finishReason());
        assertArrayEquals(Arrays.copyOf(free, end), result.tokenIds());
        String text = tokenizer.decode(Arrays.copyOf(free, end), true);
        assertEquals(text.substring(0, text.indexOf(stop)), result.text());
        assertFalse(result.text().contains(stop));
    }

    @Test
    void eosIdEndsTheRowAndIsLeftOutOfTheText() {
        long[] prompt = prompts().get(0);
        long[] free = generator.generate(prompt, GenerationConfig.greedy(24).withEosIds(NO_EOS)).tokenIds();
        int k = 2;
        while (contains(free, k, free[k])) {
            k++;
        }
        GenerationResult result = generator.generate(prompt, GenerationConfig.greedy(24).withEosIds(Set.of(free[k])));
        assertEquals(FinishReason.EOS, result.finishReason());
        assertArrayEquals(Arrays.copyOf(free, k + 1), result.tokenIds());
        assertEquals(tokenizer.decode(Arrays.copyOf(free, k), true), result.text());
    }

    @Test
    void tokenizerEosIdsApplyByDefault() {
        // Find a seed whose free-running sample (EOS ignored) produces <|endoftext|> or <|im_end|>;
        // with EOS on, the same seed must stop exactly at that token.
        long[] prompt = prompts().get(0);
        for (long seed = 0; seed < 20; seed++) {
            GenerationConfig config = GenerationConfig.sampling(100, 1.0, 0, 1.0, seed);
            long[] free = generator.generate(prompt, config.withEosIds(NO_EOS)).tokenIds();
            int first = 0;
            while (first < free.length && !tokenizer.specialTokens().isEos(free[first])) {
                first++;
            }
            if (first == free.length) {
                continue;
            }
            GenerationResult result = generator.generate(prompt, config);
            assertEquals(FinishReason.EOS, result.finishReason(), result.toString());
            assertArrayEquals(Arrays.copyOf(free, first + 1), result.tokenIds(), "seed " + seed);
            return;
        }
        throw new AssertionError("no seed in 0..19 sampled an EOS id " + tokenizer.specialTokens().eosIds()
                + " within 100 tokens; the tiny model's distribution is far from uniform");
    }

    @Test
    void seededSamplingIsRepeatableAndIndependentOfTheBatch() {
        GenerationConfig config = GenerationConfig.sampling(20, 0.9, 50, 0.95, 1234).withEosIds(NO_EOS);
        List<GenerationResult> first = generator.generate(prompts(), config);
        List<GenerationResult> second = generator.generate(prompts(), config);
        assertEquals(first, second);
        for (int b = 0; b < prompts().size(); b++) {
            assertEquals(first.get(b), generator.generate(prompts().get(b), config), "row " + b + " alone");
        }
        GenerationResult otherSeed = generator.generate(prompts().get(0), config.withSeed(99));
        assertFalse(Arrays.equals(first.get(0).tokenIds(), otherSeed.tokenIds()), "another seed, another sample");
        GenerationResult greedy = generator.generate(prompts().get(0), GenerationConfig.greedy(20).withEosIds(NO_EOS));
        assertFalse(Arrays.equals(first.get(0).tokenIds(), greedy.tokenIds()), "sampling is not argmax");
    }

    @Test
    void everyStepReleasesItsArrays() {
        int before = model.manager().getManagedArrays().size();
        BatchGeneration run = generator.generateBatch(prompts(), GenerationConfig.greedy(16).withEosIds(NO_EOS));
        assertEquals(15, run.decodeSteps(), "the first token comes from the prefill");
        assertTrue(run.prefillNanos() > 0 && run.decodeNanos() > 0);
        assertEquals(before, model.manager().getManagedArrays().size());
    }

    @Test
    void smallModelsDecodeWithOneThreadAndTheSameTokensAndTheEngineSettingComesBack() {
        int engine = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2);
        try {
            assertEquals(1, DecodeThreads.choose(DecodeThreads.AUTO, model, 4), "hidden 64 × 4 rows is small");
            assertEquals(DecodeThreads.ENGINE, DecodeThreads.choose(DecodeThreads.AUTO, model, 5), "64 × 5 > 256");
            assertEquals(3, DecodeThreads.choose(3, model, 1), "an explicit count is kept");
            int restore = DecodeThreads.enter(1);
            assertEquals(1, JniUtils.getNumThreads());
            DecodeThreads.exit(restore);
            assertEquals(2, JniUtils.getNumThreads());

            GenerationConfig config = GenerationConfig.greedy(24).withEosIds(NO_EOS);
            List<GenerationResult> auto = generator.generate(prompts(), config);
            assertEquals(2, JniUtils.getNumThreads(), "restored after decoding");
            List<GenerationResult> engineThreads = generator.withDecodeThreads(0).generate(prompts(), config);
            for (int b = 0; b < auto.size(); b++) {
                assertArrayEquals(engineThreads.get(b).tokenIds(), auto.get(b).tokenIds(), "row " + b);
            }
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> generator.withDecodeThreads(-2));
            assertTrue(bad.getMessage().contains("-2"), bad.getMessage());
        } finally {
            JniUtils.setNumThreads(engine);
        }
    }

    @Test
    void badPromptsAreRefusedWithTheReason() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> generator.generate(new long[500], GenerationConfig.greedy(13)));
        assertEquals("longest prompt (500 tokens) + maxNewTokens (13) exceeds the model's max_position_embeddings"
                + " 512; shorten the prompt or lower maxNewTokens", tooLong.getMessage());
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> generator.generate(List.of(new long[] {1}, new long[] {5, 320}), GenerationConfig.greedy(2)));
        assertEquals("prompt 1 holds token id 320, outside the model's vocabulary [0, 320)", badId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new long[0], GenerationConfig.greedy(2)));
    }

    @Test
    void chatGeneratorRendersTheTemplateAndReturnsTheAssistantText() {
        ChatGenerator chat = new ChatGenerator(generator);
        List<Message> conversation = List.of(Message.system("Be brief."), Message.user("Say hi"));
        long[] prompt = chat.promptIds(conversation);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSay hi<|im_end|>\n"
                + "<|im_start|>assistant\n", tokenizer.decode(prompt, false));
        assertEquals(257, prompt[0], "<|im_start|> is one token");
        GenerationConfig config = GenerationConfig.sampling(200, 1.0, 0, 1.0, 5);
        GenerationResult direct = generator.generate(prompt, config);
        assertEquals(direct.text(), chat.reply(conversation, config));
        assertFalse(direct.text().contains("<|"), "special tokens are stripped: " + direct.text());
        List<List<Message>> two = List.of(conversation, List.of(Message.user("Another")));
        List<String> replies = chat.replies(two, config);
        assertEquals(List.of(direct.text(), chat.reply(two.get(1), config)), replies);
    }

    /** The first prompt whose greedy text holds two printable ASCII characters in a row (a stop string to use). */
    private static int rowWithStopCandidate(GenerationConfig config) {
        for (int b = 0; b < prompts().size(); b++) {
            if (firstPrintablePair(tokenizer.decode(generator.generate(prompts().get(b), config).tokenIds(), false))
                    != null) {
                return b;
            }
        }
        throw new AssertionError("no prompt's greedy text holds two printable ASCII characters in a row");
    }

    private static boolean contains(long[] ids, int before, long id) {
        for (int i = 0; i < before; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }

    /** The first two consecutive printable ASCII characters (no space), or null. */
    private static String firstPrintablePair(String text) {
        List<Integer> printable = new ArrayList<>();
        for (int i = 0; i + 1 < text.length(); i++) {
            if (isPrintable(text.charAt(i)) && isPrintable(text.charAt(i + 1))) {
                printable.add(i);
            }
        }
        return printable.isEmpty() ? null : text.substring(printable.get(0), printable.get(0) + 2);
    }

    private static boolean isPrintable(char c) {
        return c > ' ' && c < 0x7f;
    }
}
