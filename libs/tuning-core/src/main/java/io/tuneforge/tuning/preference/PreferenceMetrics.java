package io.tuneforge.tuning.preference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-step (or per-evaluation) metrics of a preference run, accumulated over micro-batches and
 * named as TRL logs them, so dashboards built for TRL read them unchanged:
 *
 * <pre>
 * loss                 the step's loss (DPO: mean_i loss_i; ORPO: NLL − λ·mean_i log σ(r_i))
 * rewards/chosen       mean_i chosen reward     (DPO: β·(π_c − ref_c); ORPO: λ·m_c)
 * rewards/rejected     mean_i rejected reward
 * rewards/accuracies   share of pairs whose chosen reward is strictly above the rejected one
 * rewards/margins      mean_i (chosen − rejected reward)
 * logps/chosen         mean_i policy log-prob of the chosen answer (DPO: summed; ORPO: per token)
 * logps/rejected       likewise for the rejected answer
 * ORPO only:
 * log_odds_ratio       mean_i log σ(r_i)
 * log_odds_chosen      mean_i r_i
 * nll_loss             Σ chosen NLL / chosen tokens
 * </pre>
 *
 * Evaluation metrics carry TRL's {@code eval_} prefix ({@link #toMap(String)}).
 */
public final class PreferenceMetrics {

    private final PreferenceMethod method;
    private final double lambda;
    private long pairs;
    private double dpoLossSum;
    private double chosenRewardSum;
    private double rejectedRewardSum;
    private double accurateCount;
    private double chosenLogpSum;
    private double rejectedLogpSum;
    private double ratioSum;
    private double logOddsSum;
    private double nllSum;
    private double nllTokens;

    /**
     * @param lambda ORPO's λ (unused for DPO)
     */
    public PreferenceMetrics(PreferenceMethod method, double lambda) {
        this.method = method;
        this.lambda = lambda;
    }

    /** Adds one micro-batch of DPO results (reads them from the device). */
    public void add(DpoLoss.Output out, ResponseLogProbs policy) {
        addDpo(out.losses().toFloatArray(), out.chosenRewards().toFloatArray(), out.rejectedRewards().toFloatArray(),
                policy.chosen().toFloatArray(), policy.rejected().toFloatArray());
    }

    /** Adds one micro-batch of ORPO results (reads them from the device). */
    public void add(OrpoLoss.Output out) {
        addOrpo(out.nllSum().getFloat(), out.nllCount().getFloat(), out.ratios().toFloatArray(),
                out.logOdds().toFloatArray(), out.chosenRewards().toFloatArray(), out.rejectedRewards().toFloatArray(),
                out.chosenMean().toFloatArray(), out.rejectedMean().toFloatArray());
    }

    private void addDpo(float[] losses, float[] chosenRewards, float[] rejectedRewards, float[] policyChosen,
                       float[] policyRejected) {
        requireMethod(PreferenceMethod.DPO);
        for (int i = 0; i < losses.length; i++) {
            dpoLossSum += losses[i];
            addPair(chosenRewards[i], rejectedRewards[i], policyChosen[i], policyRejected[i]);
        }
    }

    private void addOrpo(double nll, double tokens, float[] ratios, float[] logOdds, float[] chosenRewards,
                        float[] rejectedRewards, float[] chosenMean, float[] rejectedMean) {
        requireMethod(PreferenceMethod.ORPO);
        nllSum += nll;
        nllTokens += tokens;
        for (int i = 0; i < ratios.length; i++) {
            ratioSum += ratios[i];
            logOddsSum += logOdds[i];
            addPair(chosenRewards[i], rejectedRewards[i], chosenMean[i], rejectedMean[i]);
        }
    }

    private void addPair(double chosenReward, double rejectedReward, double chosenLogp, double rejectedLogp) {
        pairs++;
        chosenRewardSum += chosenReward;
        rejectedRewardSum += rejectedReward;
        accurateCount += chosenReward > rejectedReward ? 1 : 0;
        chosenLogpSum += chosenLogp;
        rejectedLogpSum += rejectedLogp;
    }

    private void requireMethod(PreferenceMethod expected) {
        if (method != expected) {
            throw new IllegalStateException("these metrics are for " + method.wireName() + ", not "
                    + expected.wireName());
        }
    }

    /** Pairs added so far. */
    public long pairs() {
        return pairs;
    }

    /** The loss over everything added (NaN before anything was). */
    public double loss() {
        if (pairs == 0) {
            return Double.NaN;
        }
        return method == PreferenceMethod.DPO ? dpoLossSum / pairs : nllSum / nllTokens - lambda * ratioSum / pairs;
    }

    /** {@code rewards/accuracies}. */
    public double accuracy() {
        return pairs == 0 ? Double.NaN : accurateCount / pairs;
    }

    /** The metrics under TRL's names (see the class comment), in a stable order. */
    public Map<String, Double> toMap() {
        return toMap("");
    }

    /** As {@link #toMap()}, each name prefixed (TRL uses {@code eval_} for evaluation). */
    public Map<String, Double> toMap(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        double n = pairs;
        m.put(prefix + "loss", loss());
        m.put(prefix + "rewards/chosen", chosenRewardSum / n);
        m.put(prefix + "rewards/rejected", rejectedRewardSum / n);
        m.put(prefix + "rewards/accuracies", accurateCount / n);
        m.put(prefix + "rewards/margins", (chosenRewardSum - rejectedRewardSum) / n);
        m.put(prefix + "logps/chosen", chosenLogpSum / n);
        m.put(prefix + "logps/rejected", rejectedLogpSum / n);
        if (method == PreferenceMethod.ORPO) {
            m.put(prefix + "log_odds_ratio", ratioSum / n);
            m.put(prefix + "log_odds_chosen", logOddsSum / n);
            m.put(prefix + "nll_loss", nllSum / nllTokens);
        }
        return Collections.unmodifiableMap(m);
    }
}
