package io.tuneforge.tuning.preference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.tuning.train.MetricsLog;
import io.tuneforge.tuning.train.StepMetrics;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code metrics.jsonl} of a preference run: {@link MetricsLog}'s lines (same file name, same keys, so
 * watchers and the trainer service read both kinds of run alike) with the preference metrics added
 * under TRL's names:
 *
 * <pre>
 * {"type":"train","step":3,"totalSteps":20,"epoch":0.3,"loss":0.61,"learningRate":5.0E-6,"gradNorm":1.2,
 *  "tokens":412,"targetTokens":160,"tokensPerSecond":3900.5,"etaSeconds":1.9,"rewards/chosen":0.12,
 *  "rewards/rejected":-0.31,"rewards/accuracies":0.75,"rewards/margins":0.43,"logps/chosen":-41.2,
 *  "logps/rejected":-57.9}
 * {"type":"eval","step":5,"epoch":0.5,"evalLoss":0.52,"evalTokens":96,"eval_rewards/accuracies":0.8,…}
 * </pre>
 *
 * A resumed run first drops the lines after its checkpoint, as {@link MetricsLog} does (it does the
 * dropping).
 */
public final class PreferenceMetricsLog implements PreferenceCallback, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricsLog log; // keeps the lines up to the checkpoint, appends and flushes
    private ObjectNode pendingStep;
    private ObjectNode pendingEval;

    /**
     * @param keepUpToStep lines of steps after this are dropped from an existing file (0 for a fresh run)
     */
    public PreferenceMetricsLog(Path file, long keepUpToStep) {
        this.log = new MetricsLog(file, keepUpToStep);
    }

    @Override
    public void onStep(StepMetrics m) {
        pendingStep = MetricsLog.trainRecord(m);
    }

    @Override
    public void onPreferenceMetrics(long step, Map<String, Double> metrics) {
        ObjectNode o = pendingStep != null && pendingStep.path("step").asLong() == step ? pendingStep
                : JSON.createObjectNode().put("type", "train").put("step", step);
        metrics.forEach((name, value) -> {
            if (!"loss".equals(name)) {
                o.put(name, value);
            }
        });
        write(o);
        pendingStep = null;
    }

    @Override
    public void onEvalLoss(long step, double epoch, double evalLoss, long evalTokens) {
        pendingEval = JSON.createObjectNode().put("type", "eval").put("step", step).put("epoch", epoch)
                .put("evalLoss", evalLoss).put("evalTokens", evalTokens);
    }

    @Override
    public void onPreferenceEval(long step, Map<String, Double> metrics) {
        ObjectNode o = pendingEval != null && pendingEval.path("step").asLong() == step ? pendingEval
                : JSON.createObjectNode().put("type", "eval").put("step", step);
        metrics.forEach((name, value) -> {
            if (!"eval_loss".equals(name)) {
                o.put(name, value);
            }
        });
        write(o);
        pendingEval = null;
    }

    private void write(ObjectNode o) {
        log.write(o);
    }

    public Path file() {
        return log.file();
    }

    @Override
    public void close() {
        log.close();
    }
}
