package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tuneforge.tuning.preference.GoldenFiles.assertClose;
import static io.tuneforge.tuning.preference.GoldenFiles.assertMetrics;
import static io.tuneforge.tuning.preference.GoldenFiles.floats;
import static io.tuneforge.tuning.preference.GoldenFiles.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DPO (plain and label-smoothed) and ORPO against {@code golden/preference/logits-cases.json}, written by
 * {@code src/test/python/preference_reference.py logits} (torch float64, from the formulas): loss, TRL's metrics
 * and the gradient of the loss with respect to every logit, all within 1e-4 relative.
 */
class PreferenceLossGoldenTest {

    private static final JsonNode GOLDEN = GoldenFiles.read("logits-cases.json");

    @Test
    void dpoMatchesTheReference() {
        check(GOLDEN.get("cases").get(0), "dpo");
    }

    @Test
    void labelSmoothedDpoMatchesTheReference() {
        check(GOLDEN.get("cases").get(1), "dpo-smoothed");
    }

    @Test
    void orpoMatchesTheReference() {
        check(GOLDEN.get("cases").get(2), "orpo");
    }

    private static void check(JsonNode c, String name) {
        assertEquals(name, c.get("name").asText());
        int pairs = GOLDEN.get("pairs").asInt();
        Shape shape = new Shape(2L * pairs, GOLDEN.get("seq").asLong(), GOLDEN.get("vocab").asLong());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = manager.create(floats(GOLDEN.get("logits")), shape);
            NDArray labels = manager.create(longs(GOLDEN.get("labels")), new Shape(shape.get(0), shape.get(1)));
            logits.setRequiresGradient(true);
            PreferenceMethod method = "dpo".equals(c.get("method").asText()) ? PreferenceMethod.DPO
                    : PreferenceMethod.ORPO;
            double beta = c.get("beta").asDouble();
            PreferenceMetrics metrics = new PreferenceMetrics(method, beta);
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                 DpoLoss dpo = new DpoLoss(beta, c.get("label_smoothing").asDouble(0), Device.cpu());
                 OrpoLoss orpo = new OrpoLoss(beta, Device.cpu())) {
                ResponseLogProbs lp = ResponseLogProbs.of(logits, labels);
                if (method == PreferenceMethod.DPO) {
                    NDArray refChosen = manager.create(floats(GOLDEN.get("ref_chosen")));
                    NDArray refRejected = manager.create(floats(GOLDEN.get("ref_rejected")));
                    DpoLoss.Output out = dpo.compute(lp.chosen(), lp.rejected(), refChosen, refRejected);
                    assertClose(c.get("extra").get("policy_chosen"), lp.chosen().toFloatArray(), "policy chosen logps");
                    assertClose(c.get("extra").get("policy_rejected"), lp.rejected().toFloatArray(),
                            "policy rejected logps");
                    loss = dpo.stepLoss(out, pairs, manager);
                    metrics.add(out, lp);
                } else {
                    OrpoLoss.Output out = orpo.compute(lp);
                    assertClose(c.get("extra").get("mean_chosen"), out.chosenMean().toFloatArray(), "mean chosen logps");
                    long chosenTokens = (long) out.nllCount().getFloat();
                    loss = orpo.stepLoss(out, chosenTokens, pairs, manager);
                    metrics.add(out);
                }
                collector.backward(loss);
            }
            Map<String, Double> expected = GoldenFiles.metrics(c.get("metrics"));
            assertEquals(expected.get("loss"), loss.getFloat(), 1e-4 * Math.abs(expected.get("loss")), name + " loss");
            assertMetrics(expected, metrics.toMap(), name);
            try (NDArray grad = logits.getGradient()) {
                GoldenFiles.assertGradient(c.get("grad"), grad.toFloatArray(), name + " d loss / d logits");
            }
        }
    }
}
