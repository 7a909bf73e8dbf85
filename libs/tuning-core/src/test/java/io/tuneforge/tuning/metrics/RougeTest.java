package io.tuneforge.tuning.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ROUGE against values computed by hand from the formulas (Lin 2004), Chinese included. */
class RougeTest {

    private static final double EPS = 1e-12;

    @Test
    void tokensAreCjkCharactersAndLowerCasedWords() {
        assertEquals(List.of("the", "cat", "the", "hat"), RougeTokenizer.tokens("The cat, the HAT."));
        assertEquals(List.of("我", "爱", "北", "京"), RougeTokenizer.tokens("我爱北京。"));
        assertEquals(List.of("用", "gpt", "4", "写", "代", "码"), RougeTokenizer.tokens("用GPT-4写代码"));
        assertEquals(List.of("東", "京", "は", "日", "本"), RougeTokenizer.tokens("東京は日本"));
        assertEquals(List.of("한", "국", "어"), RougeTokenizer.tokens("한국어"));
        assertEquals(List.of(), RougeTokenizer.tokens("  ... !! "));
    }

    @Test
    void chineseIsScoredCharacterByCharacter() {
        // tw_rouge's published example: 我是人 vs 我是一個人 → R-1 P=1 R=0.6, R-2 P=0.5 R=0.25, R-L as R-1.
        RougeScores s = Rouge.score("我是人", "我是一個人");
        assertEquals(1.0, s.rouge1().precision(), EPS);
        assertEquals(0.6, s.rouge1().recall(), EPS);
        assertEquals(0.75, s.rouge1().f1(), EPS);                       // 2·1·0.6 / 1.6
        assertEquals(1.0 / 3, s.rouge2().f1(), EPS);                    // 2·0.5·0.25 / 0.75
        assertEquals(0.75, s.rougeL().f1(), EPS);                       // LCS 我是人 = 3

        // 我爱北京天安门。 vs 我爱北京。: 7 vs 4 characters (。 is punctuation), 4 shared → F1 = 2·(4/7)·1 / (4/7 + 1) = 8/11.
        RougeScores t = Rouge.score("我爱北京天安门。", "我爱北京。");
        assertEquals(8.0 / 11, t.rouge1().f1(), EPS);
        assertEquals(2.0 / 3, t.rouge2().f1(), EPS);                    // bigrams 6 vs 3, 3 shared: P 1/2, R 1
        assertEquals(8.0 / 11, t.rougeL().f1(), EPS);
    }

    @Test
    void englishByHand() {
        // the cat sat on the mat (6) vs the cat is sitting on the mat (7)
        // the×2, cat, on, mat shared = 5 → P 5/6, R 5/7, F1 = 10/13
        // the cat, on the, the mat = 3 of 5 and 6 → F1 = 6/11
        // R-L: the cat … on the mat = 5 → as R-1
        RougeScores s = Rouge.score("The cat sat on the mat.", "The cat is sitting on the mat.");
        assertEquals(10.0 / 13, s.rouge1().f1(), EPS);
        assertEquals(6.0 / 11, s.rouge2().f1(), EPS);
        assertEquals(10.0 / 13, s.rougeL().f1(), EPS);
    }

    @Test
    void lcsFollowsOrderWhileUnigramsDoNot() {
        RougeScores s = Rouge.score("c b a", "a b c");
        assertEquals(1.0, s.rouge1().f1(), EPS);
        assertEquals(0.0, s.rouge2().f1(), EPS);
        assertEquals(1.0 / 3, s.rougeL().f1(), EPS);
    }

    @Test
    void repeatedNgramsAreClippedToTheReferenceCount() {
        // "the" ×4 vs ×2: overlap 2, not 4 (and not 1 as a set would count it)
        PrfScore r1 = Rouge.score("the the the the", "the cat the mat").rouge1();
        assertEquals(0.5, r1.precision(), EPS);
        assertEquals(0.5, r1.recall(), EPS);
    }

    @Test
    void edgeCases() {
        assertEquals(new RougeScores(PrfScore.ZERO, PrfScore.ZERO, PrfScore.ZERO), Rouge.score("", "a reference"));
        assertEquals(new RougeScores(PrfScore.ZERO, PrfScore.ZERO, PrfScore.ZERO), Rouge.score("an output", ""));
        assertEquals(new RougeScores(PrfScore.ZERO, PrfScore.ZERO, PrfScore.ZERO), Rouge.score("", ""));
        RougeScores same = Rouge.score("Same answer here", "same answer here!");
        assertEquals(1.0, same.rouge1().f1(), EPS);
        assertEquals(1.0, same.rouge2().f1(), EPS);
        assertEquals(1.0, same.rougeL().f1(), EPS);
        RougeScores none = Rouge.score("alpha beta", "gamma delta");
        assertEquals(0.0, none.rouge1().f1(), EPS);
        assertEquals(0.0, none.rougeL().f1(), EPS);
        // one token: no bigram on either side → ROUGE-2 is 0, not NaN
        assertEquals(0.0, Rouge.score("yes", "yes").rouge2().f1(), EPS);
        assertEquals(1.0, Rouge.score("yes", "yes").rouge1().f1(), EPS);
    }
}
