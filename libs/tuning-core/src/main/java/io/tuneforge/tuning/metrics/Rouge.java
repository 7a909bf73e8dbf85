package io.tuneforge.tuning.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries") of one prediction
 * against one reference, on {@link RougeTokenizer} tokens (character level for CJK text).
 *
 * <pre>
 * ROUGE-N: overlap = Σ_g min(count_pred(g), count_ref(g)) over n-grams g
 *          P = overlap / #n-grams(pred),  R = overlap / #n-grams(ref),  F1 = 2PR / (P + R)
 * ROUGE-L: LCS = longest common subsequence of the two token lists (dynamic programming, O(|pred|·|ref|))
 *          P = LCS / |pred|,  R = LCS / |ref|,  F1 = 2PR / (P + R)      (β = 1)
 * </pre>
 *
 * <p>N-grams are counted with multiplicity (clipped), as ROUGE-1.5.5 and Google's rouge-score
 * do; the Python {@code rouge}/{@code rouge-chinese} packages LLaMA-Factory calls count each
 * distinct n-gram once, which differs only when an n-gram repeats. ROUGE-L treats the text as one
 * sentence (rouge-score's {@code rougeL}, not the summary-level {@code rougeLsum}). A side with no
 * n-gram gives 0 (so an empty prediction scores 0, and so do two empty strings, as in
 * rouge-score and LLaMA-Factory).
 */
public final class Rouge {

    private Rouge() {
    }

    /** ROUGE-1, ROUGE-2 and ROUGE-L of two texts. */
    public static RougeScores score(String prediction, String reference) {
        List<String> p = RougeTokenizer.tokens(prediction);
        List<String> r = RougeTokenizer.tokens(reference);
        return new RougeScores(rougeN(p, r, 1), rougeN(p, r, 2), rougeL(p, r));
    }

    /** ROUGE-N of token lists. */
    public static PrfScore rougeN(List<String> prediction, List<String> reference, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ROUGE-N needs n >= 1, got " + n);
        }
        Map<List<String>, Integer> pred = ngrams(prediction, n);
        Map<List<String>, Integer> ref = ngrams(reference, n);
        long overlap = 0;
        for (Map.Entry<List<String>, Integer> e : pred.entrySet()) {
            overlap += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
        }
        return PrfScore.of(overlap, Math.max(0, prediction.size() - n + 1), Math.max(0, reference.size() - n + 1));
    }

    /** ROUGE-L of token lists. */
    public static PrfScore rougeL(List<String> prediction, List<String> reference) {
        return PrfScore.of(lcs(prediction, reference), prediction.size(), reference.size());
    }

    /** Length of the longest common subsequence, with two rows of the DP table. */
    static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    /** n-gram → count. */
    static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
