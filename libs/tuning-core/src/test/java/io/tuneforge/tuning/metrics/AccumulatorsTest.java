package io.tuneforge.tuning.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact match, perplexity, reward accuracy and metric names. */
class AccumulatorsTest {

    @Test
    void exactMatchTrimsAndNormalisesButKeepsCase() {
        assertTrue(ExactMatch.matches("Paris\n", "  Paris"));
        assertTrue(ExactMatch.matches("４２", "42"));             // full-width digits, NFKC
        assertTrue(ExactMatch.matches("", "   "));
        assertFalse(ExactMatch.matches("paris", "Paris"));
        assertFalse(ExactMatch.matches("", "Paris"));
        assertFalse(ExactMatch.matches("北京", "北京市"));
    }

    @Test
    void perplexityWeighsEveryTokenAlike() {
        NllSum nll = new NllSum();
        assertNull(nll.perplexity());
        nll.add(2.0, 1);      // one token at 2 nats
        nll.add(4.0, 4);      // four tokens at 1 nat
        assertEquals(6.0 / 5, nll.meanNll(), 1e-12);
        assertEquals(Math.exp(6.0 / 5), nll.perplexity(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> nll.add(Double.NaN, 1));
    }

    @Test
    void rewardAccuracyCountsStrictWins() {
        RewardAccuracy acc = new RewardAccuracy();
        assertNull(acc.value());
        assertTrue(acc.add(-1.0, -2.0));
        assertFalse(acc.add(-3.0, -2.0));
        assertFalse(acc.add(-2.0, -2.0)); // a tie is not a win
        assertTrue(acc.add(-0.5, -9.0));
        assertEquals(0.5, acc.value(), 1e-12);
    }

    @Test
    void metricNamesAreTheContractsNames() {
        assertEquals(java.util.Set.copyOf(io.tuneforge.contracts.training.EvaluationSettings.KNOWN_METRICS),
                java.util.Arrays.stream(MetricName.values()).map(MetricName::wireName)
                        .collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of(MetricName.BLEU, MetricName.ROUGE_L), MetricName.parse(List.of("bleu", "rougeL", "bleu")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricName.of("rougeX"));
        assertTrue(e.getMessage().contains("'rougeX'") && e.getMessage().contains("rougeL"), e.getMessage());
    }
}
