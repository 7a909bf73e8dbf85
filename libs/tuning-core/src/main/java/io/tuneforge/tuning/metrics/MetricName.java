package io.tuneforge.tuning.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics an evaluation can compute, by the names of the training request's
 * {@code evaluation.metrics} (contracts' {@code EvaluationSettings.KNOWN_METRICS}).
 *
 * <p>Scales: ROUGE and BLEU in [0, 100] (LLaMA-Factory reports ROUGE F1 × 100, sacreBLEU reports
 * BLEU × 100); exact match and reward accuracy as fractions in [0, 1]; perplexity as
 * exp(mean NLL), reported with {@code meanNll} (nats per token) beside it.
 */
public enum MetricName {
    ROUGE_1("rouge1", "ROUGE-1 F1 × 100, mean over samples", true),
    ROUGE_2("rouge2", "ROUGE-2 F1 × 100, mean over samples", true),
    ROUGE_L("rougeL", "ROUGE-L F1 × 100, mean over samples", true),
    BLEU("bleu", "corpus BLEU-4, sacreBLEU 13a, exp smoothing", false),
    EXACT_MATCH("exactMatch", "fraction of outputs equal to the reference (NFKC, trimmed)", false),
    PERPLEXITY("perplexity", "exp(mean NLL) of the reference answers' tokens", false),
    REWARD_ACCURACY("rewardAccuracy", "fraction of preference pairs with log p(chosen) > log p(rejected)", false);

    /** Companion of {@link #PERPLEXITY} in reports: the mean NLL in nats per token. */
    public static final String MEAN_NLL = "meanNll";

    private final String wireName;
    private final String description;
    private final boolean rouge;

    MetricName(String wireName, String description, boolean rouge) {
        this.wireName = wireName;
        this.description = description;
        this.rouge = rouge;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public boolean isRouge() {
        return rouge;
    }

    /** Whether computing it needs generated text (ROUGE, BLEU, exact match), not only scoring. */
    public boolean needsGeneration() {
        return this != PERPLEXITY && this != REWARD_ACCURACY;
    }

    /**
     * The metric of a wire name.
     *
     * @throws IllegalArgumentException naming the value and every valid name
     */
    public static MetricName of(String name) {
        for (MetricName m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; expected one of " + String.join(", ",
                Arrays.stream(values()).map(MetricName::wireName).toList()));
    }

    /** Several names in order, without repeats. */
    public static List<MetricName> parse(List<String> names) {
        Set<MetricName> out = new LinkedHashSet<>();
        for (String name : names) {
            out.add(of(name.strip()));
        }
        return new ArrayList<>(out);
    }
}
