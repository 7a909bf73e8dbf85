package io.tuneforge.tuning.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java metrics against an independent Python implementation of the same published algorithms
 * (sacreBLEU 2.x BLEU/13a, Lin 2004 ROUGE). Regenerate the table with
 * {@code python3 libs/tuning-core/src/test/python/metrics_reference.py}.
 */
class MetricsReferenceTest {

    /** prediction, reference, ROUGE-1, ROUGE-2, ROUGE-L (F1 × 100), sentence BLEU. */
    private static final Object[][] CASES = {
            {"The cat sat on the mat.", "The cat is sitting on the mat.", 76.9230769231, 54.5454545455, 76.9230769231, 42.3836562828},
            {"It wasn't surprising, was it?", "It was not surprising; was it?", 66.6666666667, 40.0000000000, 66.6666666667, 24.0785655451},
            {"Prices rose 3.5% to $1,200 in 2019-2020.", "Prices rose by 3.5 % to $1,200 in 2019 - 2020.", 95.2380952381, 84.2105263158, 95.2380952381, 79.7897310670},
            {"Tom &amp; Jerry said \"hi\" (twice).", "Tom & Jerry said \"hello\" twice.", 72.7272727273, 22.2222222222, 72.7272727273, 39.4588125559},
            {"the the the the", "the cat the mat", 50.0000000000, 0.0000000000, 50.0000000000, 18.9958921413},
            {"我爱北京天安门。", "我爱北京。", 72.7272727273, 66.6666666667, 72.7272727273, 36.5555222855},
            {"今天天气很好，我们去公园散步吧！", "今天天气不错，我们去公园走走。", 66.6666666667, 56.0000000000, 66.6666666667, 45.7883137213},
            {"用GPT-4写代码很快", "用 GPT-4 写代码非常快", 82.3529411765, 66.6666666667, 82.3529411765, 55.7800286077},
            {"東京は日本の首都です。", "日本の首都は東京です。", 100.0000000000, 66.6666666667, 70.0000000000, 52.8097221647},
            {"", "a reference", 0.0000000000, 0.0000000000, 0.0000000000, 0.0000000000},
            {"same answer here", "same answer here", 100.0000000000, 100.0000000000, 100.0000000000, 100.0000000000},
            {"alpha beta", "gamma delta", 0.0000000000, 0.0000000000, 0.0000000000, 0.0000000000},
    };

    /** Corpus BLEU of all cases together, from the same script. */
    private static final double CORPUS_BLEU = 51.0837500497;

    @Test
    void everyCaseMatchesTheReference() {
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        for (Object[] c : CASES) {
            String prediction = (String) c[0];
            String reference = (String) c[1];
            TextScores s = TextScores.of(prediction, reference);
            String what = "'" + prediction + "' vs '" + reference + "'";
            checks.add(() -> assertEquals((double) c[2], s.rouge1(), 1e-8, "ROUGE-1 of " + what));
            checks.add(() -> assertEquals((double) c[3], s.rouge2(), 1e-8, "ROUGE-2 of " + what));
            checks.add(() -> assertEquals((double) c[4], s.rougeL(), 1e-8, "ROUGE-L of " + what));
            checks.add(() -> assertEquals((double) c[5], s.bleu(), 1e-8, "BLEU of " + what));
        }
        assertAll(checks);
    }

    @Test
    void corpusTotalsMatchTheReference() {
        TextMetrics totals = new TextMetrics();
        double rougeL = 0;
        for (Object[] c : CASES) {
            totals.add((String) c[0], (String) c[1]);
            rougeL += (double) c[4];
        }
        assertEquals(CORPUS_BLEU, totals.value(MetricName.BLEU), 1e-8);
        assertEquals(rougeL / CASES.length, totals.value(MetricName.ROUGE_L), 1e-8);
        assertEquals(1.0 / CASES.length, totals.value(MetricName.EXACT_MATCH), 1e-12); // only "same answer here"
    }
}
