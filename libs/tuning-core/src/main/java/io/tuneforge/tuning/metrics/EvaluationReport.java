package io.tuneforge.tuning.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tuneforge.contracts.evaluation.MetricComparison;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json} of an evaluation, written by eval-service to {@code evals/{evalId}/report.json} and by
 * {@code tuneforge eval} to its output directory.
 *
 * @param evalId the evaluation's id (null for a local run)
 * @param runId the training run evaluated, or null
 * @param baseModel URI or directory of the base model
 * @param adapter URI or directory of the LoRA adapter, or null
 * @param tunedModel URI or directory of a full tuned model, or null
 * @param dataset where the eval records came from (dataset id + version + file, or a path)
 * @param settings metrics, limits and decoding
 * @param metrics name → base, tuned, delta
 * @param units how to read each metric
 * @param timing seconds: {@code load}, {@code total}, and per side
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationReport(int schemaVersion, String evalId, String runId, Instant createdAt, String baseModel,
                               String adapter, String tunedModel, Map<String, Object> dataset,
                               Map<String, Object> settings, Map<String, MetricComparison> metrics,
                               Map<String, String> units, int samplesEvaluated, int skipped,
                               List<String> skippedReasons, Map<String, Long> generatedTokens,
                               Map<String, Double> timing) {

    /** How BLEU is computed, as a sacreBLEU signature. */
    public static final String BLEU_SIGNATURE = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x-compatible"
            + " (CJK characters split one per token first)";

    /**
     * The report of {@code result} run with {@code options}.
     *
     * @param loadSeconds time spent fetching and loading models and data before the evaluation ran
     */
    public static EvaluationReport of(String evalId, String runId, String baseModel, String adapter,
                                      String tunedModel, Map<String, Object> dataset, EvalOptions options,
                                      EvaluationResult result, double loadSeconds) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("metrics", options.metrics().stream().map(MetricName::wireName).toList());
        settings.put("maxSamples", options.maxSamples());
        settings.put("maxNewTokens", options.generation().maxNewTokens());
        settings.put("decoding", options.generation().greedy() ? "greedy" : "sampling");
        if (!options.generation().greedy()) {
            settings.put("temperature", options.generation().temperature());
            settings.put("topP", options.generation().topP());
            settings.put("topK", options.generation().topK());
            settings.put("seed", options.generation().seed());
        }
        settings.put("batchSize", options.batchSize());
        settings.put("maxSeqLength", options.maxSeqLength());
        settings.put("chatTemplate", "the base model's tokenizer_config.json chat_template");
        settings.put("bleu", BLEU_SIGNATURE);
        settings.put("rouge", "F1, n-grams counted with clipping, ROUGE-L = sentence LCS; CJK characters one token"
                + " each, other words lower-cased");
        Map<String, String> units = new LinkedHashMap<>();
        for (MetricName m : options.metrics()) {
            units.put(m.wireName(), m.description());
            if (m == MetricName.PERPLEXITY) {
                units.put(MetricName.MEAN_NLL, "mean negative log-likelihood of the reference tokens, nats per token");
            }
        }
        units.put("delta", "tuned − base");
        Map<String, Double> timing = new LinkedHashMap<>();
        timing.put("load", loadSeconds);
        result.seconds().forEach(timing::put);
        return new EvaluationReport(1, evalId, runId, Instant.now(), baseModel, adapter, tunedModel, dataset,
                settings, result.metrics(), units, result.samples(), result.skipped(), result.skippedReasons(),
                result.generatedTokens(), timing);
    }
}
