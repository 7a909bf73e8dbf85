package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.generate.GenerationResult;
import io.tuneforge.tuning.generate.Generator;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.train.GradMode;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Base vs tuned on an eval split, streaming: records are read, generated for, scored and handed to
 * the sample sink one batch at a time, and only running totals are kept — never all outputs, never
 * more logits than one batch's.
 *
 * <pre>
 * for each batch of B valid records (at most maxSamples in all):
 *   for side in (base, tuned):
 *     side.activate()                                   (adapter off / on over one loaded base)
 *     outputs  ← generate(chat-template prompts)         if ROUGE/BLEU/exact match asked for
 *     logProbs ← score(reference [, rejected])          if perplexity / reward accuracy asked for
 *   per sample: text scores, NLL, chosen-vs-rejected  → totals, and → sink (samples.jsonl)
 * metrics: base, tuned, tuned − base
 * </pre>
 *
 * A record that cannot be read, has no answer, or whose prompt + maxNewTokens exceeds the model's
 * context is skipped with its reason (counted, never silently). Autograd is off throughout.
 * Not thread-safe: one evaluation per instance at a time.
 */
public final class ComparisonEvaluator {

    private static final int MAX_REASONS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final EvalOptions options;
    private final ReferenceScorer scorer;

    public ComparisonEvaluator(TextTokenizer tokenizer, ChatTemplate template, EvalOptions options) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.options = options;
        this.scorer = new ReferenceScorer(tokenizer, template, options.maxSeqLength(), options.batchSize());
    }

    /**
     * Evaluates the records of {@code jsonl} (one JSON object per line).
     *
     * @param tuned null to evaluate {@code base} alone (tuned values and deltas are then null)
     * @param sink receives each sample's result as soon as it is complete
     */
    public EvaluationResult run(BufferedReader jsonl, ModelVariant base, ModelVariant tuned,
                                Consumer<SampleResult> sink) throws IOException {
        long start = System.nanoTime();
        Side baseSide = new Side(base);
        Side tunedSide = tuned == null ? null : new Side(tuned);
        List<String> reasons = new ArrayList<>();
        int skipped = 0;
        int evaluated = 0;
        int contextLimit = base.activate().config().maxPositionEmbeddings();
        List<Pending> batch = new ArrayList<>();
        long lineNumber = 0;
        String line;
        try (GradMode off = GradMode.disabled()) {
            while (evaluated + batch.size() < options.maxSamples() && (line = jsonl.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    batch.add(prepare(line, lineNumber, contextLimit));
                } catch (IllegalArgumentException e) {
                    skipped++;
                    if (reasons.size() < MAX_REASONS) {
                        reasons.add(e.getMessage());
                    }
                    continue;
                }
                if (batch.size() == options.batchSize()) {
                    evaluated = runBatch(batch, evaluated, baseSide, tunedSide, sink);
                }
            }
            if (!batch.isEmpty()) {
                evaluated = runBatch(batch, evaluated, baseSide, tunedSide, sink);
            }
        }
        Map<String, MetricComparison> metrics = new LinkedHashMap<>();
        for (MetricName metric : options.metrics()) {
            metrics.put(metric.wireName(), MetricComparison.of(baseSide.value(metric),
                    tunedSide == null ? null : tunedSide.value(metric)));
            if (metric == MetricName.PERPLEXITY) {
                metrics.put(MetricName.MEAN_NLL, MetricComparison.of(baseSide.nll.meanNll(),
                        tunedSide == null ? null : tunedSide.nll.meanNll()));
            }
        }
        Map<String, Long> tokens = new LinkedHashMap<>();
        tokens.put("base", baseSide.generatedTokens);
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("total", (System.nanoTime() - start) / 1e9);
        seconds.put("base", baseSide.nanos / 1e9);
        if (tunedSide != null) {
            tokens.put("tuned", tunedSide.generatedTokens);
            seconds.put("tuned", tunedSide.nanos / 1e9);
        }
        return new EvaluationResult(metrics, evaluated, skipped, reasons, tokens, seconds);
    }

    /** Parses, encodes and checks one record; throws IllegalArgumentException with the reason to skip it. */
    private Pending prepare(String line, long lineNumber, int contextLimit) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": not JSON (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")");
        }
        EvalExample example = EvalExamples.parse(record, lineNumber);
        long[] promptIds = tokenizer.encode(template.render(example.prompt(), true));
        if (options.needsGeneration() && promptIds.length + options.generation().maxNewTokens() > contextLimit) {
            throw new IllegalArgumentException("line " + lineNumber + ": the prompt has " + promptIds.length
                    + " tokens; with maxNewTokens " + options.generation().maxNewTokens() + " it exceeds the model's "
                    + contextLimit + " positions");
        }
        ReferenceScorer.Encoded reference = null;
        ReferenceScorer.Encoded rejected = null;
        if (options.needsScoring()) {
            reference = scorer.encode(example.prompt(), example.reference());
            if (example.isPreference() && options.metrics().contains(MetricName.REWARD_ACCURACY)) {
                rejected = scorer.encode(example.prompt(), example.rejected());
            }
        }
        return new Pending(example, promptIds, reference, rejected);
    }

    private int runBatch(List<Pending> batch, int evaluated, Side base, Side tuned, Consumer<SampleResult> sink) {
        List<SideOutput> baseOut = base.run(batch);
        List<SideOutput> tunedOut = tuned == null ? null : tuned.run(batch);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            String problem = problem(p);
            sink.accept(new SampleResult(evaluated + i, p.example.line(), p.example.prompt(), p.example.reference(),
                    p.example.rejected(), baseOut.get(i), tunedOut == null ? null : tunedOut.get(i), problem));
        }
        int done = evaluated + batch.size();
        batch.clear();
        return done;
    }

    private static String problem(Pending p) {
        if (p.reference != null && p.reference.problem() != null) {
            return "reference not scored: " + p.reference.problem();
        }
        if (p.rejected != null && p.rejected.problem() != null) {
            return "rejected answer not scored: " + p.rejected.problem();
        }
        return null;
    }

    /** One record ready to evaluate: prompt tokens and, when scoring, encoded answers. */
    private record Pending(EvalExample example, long[] promptIds, ReferenceScorer.Encoded reference,
                           ReferenceScorer.Encoded rejected) {
    }

    /** One model's running totals. */
    private final class Side {
        final ModelVariant variant;
        final TextMetrics text = new TextMetrics();
        final NllSum nll = new NllSum();
        final RewardAccuracy reward = new RewardAccuracy();
        long generatedTokens;
        long nanos;

        Side(ModelVariant variant) {
            this.variant = variant;
        }

        List<SideOutput> run(List<Pending> batch) {
            long t0 = System.nanoTime();
            LlamaModel model = variant.activate();
            List<GenerationResult> generated = null;
            if (options.needsGeneration()) {
                generated = new Generator(model, tokenizer).generate(batch.stream().map(Pending::promptIds).toList(),
                        options.generation());
            }
            List<AnswerScore> references = null;
            List<AnswerScore> rejected = null;
            if (options.needsScoring()) {
                references = scorer.score(model, batch.stream().map(Pending::reference).toList());
                List<ReferenceScorer.Encoded> pairs = batch.stream().map(Pending::rejected)
                        .filter(java.util.Objects::nonNull).toList();
                rejected = pairs.isEmpty() ? List.of() : scorer.score(model, pairs);
            }
            nanos += System.nanoTime() - t0;
            List<SideOutput> out = new ArrayList<>(batch.size());
            int r = 0;
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                String text = null;
                String finish = null;
                Integer tokens = null;
                TextScores scores = null;
                if (generated != null) {
                    GenerationResult g = generated.get(i);
                    text = g.text();
                    finish = g.finishReason().name().toLowerCase(Locale.ROOT);
                    tokens = g.tokenIds().length;
                    generatedTokens += tokens;
                    scores = this.text.add(text, p.example.reference());
                }
                Double refNll = null;
                Integer refTokens = null;
                Double chosen = null;
                Double rejectedLp = null;
                Boolean wins = null;
                if (references != null) {
                    AnswerScore ref = references.get(i);
                    if (ref.scored()) {
                        nll.add(-ref.logProb(), ref.tokens());
                        refNll = ref.meanNll();
                        refTokens = ref.tokens();
                    }
                    if (p.rejected != null) {
                        AnswerScore rej = rejected.get(r++);
                        if (ref.scored() && rej.scored()) {
                            chosen = ref.logProb();
                            rejectedLp = rej.logProb();
                            wins = reward.add(chosen, rejectedLp);
                        }
                    }
                }
                out.add(new SideOutput(text, finish, tokens, scores, refNll, refTokens, chosen, rejectedLp, wins));
            }
            return out;
        }

        Double value(MetricName metric) {
            return switch (metric) {
                case PERPLEXITY -> nll.perplexity();
                case REWARD_ACCURACY -> reward.value();
                default -> text.value(metric);
            };
        }
    }
}
