package io.tuneforge.tuning.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-4 (Papineni et al. 2002) computed as sacreBLEU 2.x does, on {@link BleuTokenizer} tokens,
 * with sacreBLEU's default smoothing {@code exp} (NIST geometric sequence smoothing, Chen &amp;
 * Cherry 2014 "method 3"; not NLTK's method3, which is a different formula).
 *
 * <pre>
 * for n = 1..4:  correct_n = Σ_g min(count_hyp(g), max_ref count_ref(g)),  total_n = #n-grams(hyp)
 *   stop at the first n with total_n = 0 (effective order: the orders seen, when enabled)
 *   correct_n = 0 → k ← 2k (k starts at 1), p_n = 100 / (k · total_n)           ("exp" smoothing)
 *   else           p_n = 100 · correct_n / total_n
 * no match at any order → BLEU = 0
 * BP   = 1 if hyp ≥ ref else exp(1 − ref / hyp)   (0 for an empty prediction)
 * BLEU = BP · exp( Σ_{n ≤ order} log p_n / order )       order = 4, or the effective order
 * </pre>
 * ref is the reference length closest to the prediction's (the shorter one on a tie), summed over
 * segments for corpus BLEU. {@link #sentence} uses the effective order (sacreBLEU's
 * {@code sentence_bleu} default), {@link #corpus} does not (sacreBLEU's {@code corpus_bleu} default).
 * sacreBLEU signature of these settings: {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp} (corpus).
 */
public final class Bleu {

    private Bleu() {
    }

    /** Statistics of one prediction against one or more references. */
    public static BleuStats stats(String prediction, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("BLEU needs at least one reference per prediction");
        }
        List<String> hyp = BleuTokenizer.tokens(prediction);
        long[] correct = new long[BleuStats.MAX_ORDER];
        long[] total = new long[BleuStats.MAX_ORDER];
        Map<List<String>, Integer> maxRef = new HashMap<>();
        int closest = -1;
        for (String reference : references) {
            List<String> ref = BleuTokenizer.tokens(reference);
            closest = closestLength(hyp.size(), closest, ref.size());
            for (int n = 1; n <= BleuStats.MAX_ORDER; n++) {
                Rouge.ngrams(ref, n).forEach((g, c) -> maxRef.merge(g, c, Math::max));
            }
        }
        for (int n = 1; n <= BleuStats.MAX_ORDER; n++) {
            for (Map.Entry<List<String>, Integer> e : Rouge.ngrams(hyp, n).entrySet()) {
                correct[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
            }
            total[n - 1] = Math.max(0, hyp.size() - n + 1);
        }
        return new BleuStats(correct, total, hyp.size(), closest);
    }

    /** sacreBLEU's {@code _get_closest_ref_len}, one reference at a time. */
    private static int closestLength(int hyp, int best, int candidate) {
        if (best < 0) {
            return candidate;
        }
        int diff = Math.abs(hyp - candidate);
        int bestDiff = Math.abs(hyp - best);
        return diff < bestDiff || diff == bestDiff && candidate < best ? candidate : best;
    }

    /** Sentence BLEU of one prediction (effective order on, as sacreBLEU's {@code sentence_bleu}). */
    public static BleuScore sentence(String prediction, List<String> references) {
        return compute(stats(prediction, references), true);
    }

    /** Corpus BLEU from summed statistics (effective order off, as sacreBLEU's {@code corpus_bleu}). */
    public static BleuScore corpus(BleuStats stats) {
        return compute(stats, false);
    }

    /** sacreBLEU's {@code BLEU.compute_bleu} with {@code smooth_method='exp'}. */
    public static BleuScore compute(BleuStats stats, boolean effectiveOrder) {
        long hyp = stats.hypLength();
        long ref = stats.refLength();
        double bp = hyp < ref ? (hyp > 0 ? Math.exp(1 - (double) ref / hyp) : 0.0) : 1.0;
        double[] precisions = new double[BleuStats.MAX_ORDER];
        boolean anyMatch = false;
        for (int n = 0; n < BleuStats.MAX_ORDER; n++) {
            anyMatch |= stats.correct(n) > 0;
        }
        if (!anyMatch) {
            return new BleuScore(0.0, precisions, bp, hyp, ref);
        }
        double smooth = 1.0;
        int order = BleuStats.MAX_ORDER;
        for (int n = 0; n < BleuStats.MAX_ORDER; n++) {
            long total = stats.total(n);
            if (total == 0) {
                break;
            }
            if (effectiveOrder) {
                order = n + 1;
            }
            if (stats.correct(n) == 0) {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total);
            } else {
                precisions[n] = 100.0 * stats.correct(n) / total;
            }
        }
        double logSum = 0;
        for (int n = 0; n < order; n++) {
            logSum += precisions[n] == 0 ? -9999999999.0 : Math.log(precisions[n]); // sacreBLEU's my_log
        }
        return new BleuScore(bp * Math.exp(logSum / order), precisions, bp, hyp, ref);
    }
}
