package io.tuneforge.tuning.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BLEU against sacreBLEU's published example and values computed by hand from the formula. */
class BleuTest {

    private static final double EPS = 1e-9;

    @Test
    void tokenizer13aSplitsAsSacreBleu() {
        assertEquals("The cat sat on the mat .", BleuTokenizer.tokenize13a("The cat sat on the mat."));
        assertEquals("It wasn't surprising , was it ?", BleuTokenizer.tokenize13a("It wasn't surprising, was it?"));
        assertEquals("Prices rose 3.5 % to $ 1,200 in 2019 - 2020 .",
                BleuTokenizer.tokenize13a("Prices rose 3.5% to $1,200 in 2019-2020."));
        assertEquals("Tom & Jerry said \" hi \" ( twice ) .",
                BleuTokenizer.tokenize13a("Tom &amp; Jerry said \"hi\" (twice)."));
        assertEquals("a b", BleuTokenizer.tokenize13a("a<skipped> \n b"));
        assertEquals("我 爱 北 京 ， 你 好 !", BleuTokenizer.tokenize("我爱北京，你好!"));
    }

    @Test
    void sacreBleuReadmeCorpusExample() {
        // sacreBLEU README: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
        List<String> sys = List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
        List<List<String>> refs = List.of(
                List.of("The dog bit the man.", "The dog had bit the man."),
                List.of("It was not unexpected.", "No one was surprised."),
                List.of("The man bit him first.", "The man had bitten the dog."));
        BleuStats total = new BleuStats();
        for (int i = 0; i < sys.size(); i++) {
            total.add(Bleu.stats(sys.get(i), refs.get(i)));
        }
        BleuScore score = Bleu.corpus(total);
        assertEquals(48.53, score.score(), 0.005);
        assertEquals(17, score.hypLength());
        assertEquals(18, score.refLength());
        assertEquals(0.943, score.brevityPenalty(), 0.0005);
        double[] p = score.precisions();
        assertEquals(82.4, p[0], 0.05);
        assertEquals(50.0, p[1], 0.05);
        assertEquals(45.5, p[2], 0.05);
        assertEquals(37.5, p[3], 0.05);
        assertEquals(48.5308270099, score.score(), 1e-8); // metrics_reference.py
    }

    @Test
    void sentenceBleuByHand() {
        // the cat sat on the mat . vs the cat sat on a mat . (7 tokens each):
        // 1-grams 6/7 (second "the" unmatched), 2-grams 4/6, 3-grams 2/5, 4-grams 1/4, BP 1
        double expected = 100 * Math.pow(6.0 / 7 * 4.0 / 6 * 2.0 / 5 * 1.0 / 4, 0.25);
        assertEquals(expected, Bleu.sentence("the cat sat on the mat.", List.of("the cat sat on a mat.")).score(), EPS);
    }

    @Test
    void expSmoothingAndEffectiveOrder() {
        // the cat sat vs the cat ran: p1 = 2/3, p2 = 1/2, p3: 0 matches of 1 → 100 / (2 · 1); no 4-grams → order 3
        BleuScore s = Bleu.sentence("the cat sat", List.of("the cat ran"));
        assertArrayEquals(new double[] {200.0 / 3, 50.0, 50.0, 0.0}, s.precisions(), EPS);
        assertEquals(100 * Math.cbrt(2.0 / 3 * 0.5 * 0.5), s.score(), EPS);
        // the same statistics as a corpus: no effective order, so the missing 4-gram precision zeroes it
        assertEquals(0.0, Bleu.corpus(Bleu.stats("the cat sat", List.of("the cat ran"))).score(), EPS);
        // two zero orders: the second one is halved again (1/2, then 1/4)
        BleuScore twice = Bleu.sentence("a b c d e", List.of("a x b y c"));
        assertEquals(100.0 * 3 / 5, twice.precisions()[0], EPS);
        assertEquals(100.0 / (2 * 4), twice.precisions()[1], EPS);
        assertEquals(100.0 / (4 * 3), twice.precisions()[2], EPS);
        assertEquals(100.0 / (8 * 2), twice.precisions()[3], EPS);
    }

    @Test
    void brevityPenaltyForShortOutputs() {
        // 3 tokens vs 6: every n-gram matches, BP = exp(1 − 6/3)
        BleuScore s = Bleu.sentence("a b c", List.of("a b c d e f"));
        assertEquals(Math.exp(1 - 2.0), s.brevityPenalty(), EPS);
        assertEquals(100 * Math.exp(1 - 2.0), s.score(), EPS);
    }

    @Test
    void chineseByHand() {
        // 我 爱 北 京 天 安 门 。 (8) vs 我 爱 北 京 。 (5): 5/8, 3/7, 2/6, 1/5, BP 1
        double expected = 100 * Math.pow(5.0 / 8 * 3.0 / 7 * 2.0 / 6 * 1.0 / 5, 0.25);
        assertEquals(expected, Bleu.sentence("我爱北京天安门。", List.of("我爱北京。")).score(), EPS);
    }

    @Test
    void edgeCases() {
        assertEquals(0.0, Bleu.sentence("", List.of("a reference")).score(), EPS);
        assertEquals(0.0, Bleu.sentence("", List.of("")).score(), EPS);
        assertEquals(100.0, Bleu.sentence("same answer here.", List.of("same answer here.")).score(), EPS);
        assertEquals(100.0, Bleu.sentence("一模一样", List.of("一模一样")).score(), EPS);
        assertEquals(0.0, Bleu.sentence("alpha beta", List.of("gamma delta")).score(), EPS);
        // case-sensitive, as sacreBLEU's default
        assertEquals(0.0, Bleu.sentence("HELLO", List.of("hello")).score(), EPS);
    }
}
