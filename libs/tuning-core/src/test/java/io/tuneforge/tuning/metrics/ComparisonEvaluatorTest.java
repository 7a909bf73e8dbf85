package io.tuneforge.tuning.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.generate.GenerationConfig;
import io.tuneforge.tuning.generate.Generator;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base vs tuned on the tiny model: one loaded base with a LoRA adapter switched off and on. The
 * base side must be exactly the model without adapter, the tuned side must differ, and the
 * reference NLL must equal a log-softmax computed here from the raw logits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparisonEvaluatorTest {

    private static final int MAX_NEW_TOKENS = 6;
    private static final String RECORDS = String.join("\n",
            "{\"instruction\": \"c0?\", \"output\": \"red\"}",
            "not json at all",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"only a question\"}]}",
            "{\"instruction\": \"c1?\", \"output\": \"blue\"}",
            "",
            "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\":"
                    + " \"c2?\"}, {\"role\": \"assistant\", \"content\": \"green\"}]}",
            "{\"instruction\": \"c3?\", \"output\": \"black\"}");

    @TempDir
    static Path dir;

    private LlamaModel model;
    private TextTokenizer tokenizer;
    private ChatTemplate template;
    private List<String> plainOutputs;
    private LoraAdapter adapter;

    @BeforeAll
    void setUp() throws Exception {
        TinyModel.write(dir, TinySpec.defaults());
        model = LlamaModel.load(dir, DeviceSettings.cpu());
        tokenizer = TextTokenizer.load(dir);
        template = ChatTemplate.of(tokenizer);
        List<long[]> prompts = new ArrayList<>();
        for (String q : new String[] {"c0?", "c1?"}) {
            prompts.add(tokenizer.encode(template.render(List.of(Message.user(q)), true)));
        }
        plainOutputs = new Generator(model, tokenizer).generate(prompts, GenerationConfig.greedy(MAX_NEW_TOKENS))
                .stream().map(r -> r.text()).toList();
        adapter = LoraAdapter.attach(model, LoraConfig.defaults(), 7);
        Random random = new Random(11);
        try (NDManager scratch = NDManager.newBaseManager()) {
            adapter.layers().values().forEach(layer -> {
                Shape shape = layer.loraB().getShape();
                float[] b = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * 0.5);
                }
                layer.assign(layer.loraA(), scratch.create(b, shape));
            });
        }
    }

    @AfterAll
    void tearDown() {
        adapter.close();
        tokenizer.close();
        model.close();
    }

    private EvaluationResult run(List<MetricName> metrics, int maxSamples, int batchSize, String records,
                                 boolean withTuned, List<SampleResult> samples) throws Exception {
        EvalOptions options = new EvalOptions(metrics, maxSamples, GenerationConfig.greedy(MAX_NEW_TOKENS), batchSize,
                256);
        return new ComparisonEvaluator(tokenizer, template, options).run(new BufferedReader(new StringReader(records)),
                ModelVariant.adapterDisabled("base", adapter),
                withTuned ? ModelVariant.adapterEnabled("tuned", adapter) : null, samples::add);
    }

    @Test
    void baseIsTheModelWithoutAdapterTunedDiffersAndInvalidRecordsAreSkippedWithReasons() throws Exception {
        List<SampleResult> samples = new ArrayList<>();
        EvaluationResult result = run(List.of(MetricName.ROUGE_L, MetricName.BLEU, MetricName.EXACT_MATCH,
                MetricName.PERPLEXITY), 3, 2, RECORDS, true, samples);

        assertEquals(3, result.samples(), "maxSamples bounds the evaluation");
        assertEquals(List.of(0, 1, 2), samples.stream().map(SampleResult::index).toList());
        assertEquals(List.of(1L, 4L, 6L), samples.stream().map(SampleResult::line).toList());
        assertEquals(2, result.skipped());
        assertTrue(result.skippedReasons().get(0).startsWith("line 2: not JSON"), result.skippedReasons().toString());
        assertTrue(result.skippedReasons().get(1).startsWith("line 3: the last turn must be the assistant's"),
                result.skippedReasons().toString());

        assertEquals(plainOutputs.get(0), samples.get(0).base().output(), "adapter disabled = the base model");
        assertEquals(plainOutputs.get(1), samples.get(1).base().output(), "adapter disabled = the base model");
        assertTrue(samples.stream().anyMatch(s -> !s.base().output().equals(s.tuned().output())),
                "the adapter changes some output: " + samples);

        assertEquals(List.of("rougeL", "bleu", "exactMatch", "perplexity", "meanNll"),
                new ArrayList<>(result.metrics().keySet()));
        double meanRougeL = samples.stream().mapToDouble(s -> s.base().scores().rougeL()).average().orElseThrow();
        assertEquals(meanRougeL, result.metrics().get("rougeL").base(), 1e-9);
        for (MetricComparison m : result.metrics().values()) {
            assertEquals(m.tuned() - m.base(), m.delta(), 1e-12);
        }
        MetricComparison nll = result.metrics().get("meanNll");
        assertEquals(Math.exp(nll.base()), result.metrics().get("perplexity").base(), 1e-9);
        assertNotEquals(nll.base(), nll.tuned());
        assertEquals(expectedReferenceNll(List.of(Message.user("c0?")), "red"), samples.get(0).base().referenceNll(),
                1e-4);
    }

    /** Mean −log p of the answer and its end-of-turn token, from the raw logits of the plain model. */
    private double expectedReferenceNll(List<Message> prompt, String answer) {
        adapter.setDisabled(true);
        int promptLength = tokenizer.encode(template.render(prompt, true)).length;
        List<Message> conversation = new ArrayList<>(prompt);
        conversation.add(Message.assistant(answer));
        long[] ids = tokenizer.encode(template.render(conversation, false));
        int end = promptLength;
        while (ids[end] != TinySpec.IM_END_ID) {
            end++;
        }
        int vocab = model.config().vocabSize();
        float[] logits;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.create(ids, new Shape(1, ids.length));
            logits = model.forward(input, null, null).toFloatArray();            // (1, T, V)
        }
        double sum = 0;
        for (int t = promptLength; t <= end; t++) {
            int row = (t - 1) * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[row + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(logits[row + v] - max);
            }
            sum += -(logits[row + (int) ids[t]] - max - Math.log(z));
        }
        return sum / (end - promptLength + 1);
    }

    @Test
    void preferenceRecordsGiveRewardAccuracyWithoutGenerating() throws Exception {
        String records = String.join("\n",
                "{\"prompt\": \"c0?\", \"chosen\": \"red\", \"rejected\": \"a much longer rejected answer\"}",
                "{\"prompt\": \"c1?\", \"chosen\": \"a much longer chosen answer\", \"rejected\": \"no\"}",
                "{\"prompt\": [{\"role\": \"user\", \"content\": \"c2?\"}], \"chosen\": \"gold\", \"rejected\": \"grey\"}");
        List<SampleResult> samples = new ArrayList<>();
        EvaluationResult result = run(List.of(MetricName.REWARD_ACCURACY), 10, 2, records, true, samples);

        assertEquals(3, result.samples());
        for (SampleResult s : samples) {
            assertNull(s.base().output(), "reward accuracy alone does not generate");
            assertEquals(s.base().chosenLogProb() > s.base().rejectedLogProb(), s.base().chosenWins());
        }
        // a short answer is far likelier than a long one: sample 0 wins, sample 1 loses, on the base model
        assertTrue(samples.get(0).base().chosenWins());
        assertTrue(!samples.get(1).base().chosenWins());
        double wins = samples.stream().filter(s -> s.base().chosenWins()).count();
        assertEquals(wins / 3, result.metrics().get("rewardAccuracy").base(), 1e-12);
        assertEquals(0, result.generatedTokens().get("base"));
    }

    @Test
    void baseAloneHasNoTunedValues() throws Exception {
        List<SampleResult> samples = new ArrayList<>();
        EvaluationResult result = run(List.of(MetricName.ROUGE_1, MetricName.ROUGE_2), 2, 4, RECORDS, false, samples);
        assertEquals(2, result.samples());
        assertNull(samples.get(0).tuned());
        MetricComparison r1 = result.metrics().get("rouge1");
        assertTrue(r1.base() != null && r1.tuned() == null && r1.delta() == null, r1.toString());
    }
}
