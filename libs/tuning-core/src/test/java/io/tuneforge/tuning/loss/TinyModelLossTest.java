package io.tuneforge.tuning.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.tuneforge.tuning.chat.ChatTemplate;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.data.BatchCollator;
import io.tuneforge.tuning.data.SftEncoder;
import io.tuneforge.tuning.data.TokenizedExample;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import io.tuneforge.tuning.weights.WeightNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoder → collator → model → loss on the tiny model: padded and packed batches of the same
 * examples give the same summed loss over the same target count, and gradients reach a trained
 * parameter.
 */
class TinyModelLossTest {

    @TempDir
    Path dir;

    @Test
    void packedAndPaddedBatchesGiveTheSameLossAndGradientsFlow() throws Exception {
        TinyModel.write(dir, TinySpec.defaults());
        try (TextTokenizer tokenizer = TextTokenizer.load(dir);
             LlamaModel model = LlamaModel.load(dir, DeviceSettings.cpu());
             NDManager manager = NDManager.newBaseManager()) {
            SftEncoder encoder = new SftEncoder(tokenizer, ChatTemplate.of(tokenizer), 128, false);
            List<TokenizedExample> examples = List.of(
                    encoder.encode(List.of(Message.user("2+2?"), Message.assistant("4"))),
                    encoder.encode(List.of(Message.system("Terse."), Message.user("Capital of France?"),
                            Message.assistant("Paris."))),
                    encoder.encode(List.of(Message.user("Hi"), Message.assistant("Hello!"), Message.user("Bye"),
                            Message.assistant("Bye."))));
            int pad = (int) tokenizer.specialTokens().padIdOrEos();

            LossSum padded;
            try (Batch batch = new BatchCollator(pad, false, 128).collate(examples, manager)) {
                padded = CausalLmLoss.sum(model.forward(batch.inputIds(), batch.attentionMask(), null), batch.labels());
                assertEquals(batch.targetTokens(), padded.count());
                assertEquals(3, batch.batchSize());
            }
            NDArray head = model.parameters().get(WeightNames.LM_HEAD);
            head.setRequiresGradient(true);
            try (NDManager step = manager.newSubManager();
                 Batch batch = new BatchCollator(pad, true, 256).collate(examples, step);
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertEquals(1, batch.batchSize(), "all three fit one packed row");
                NDArray logits = model.forward(batch.inputIds(), batch.attentionMask(), null, batch.positionIds(),
                        batch.segmentIds());
                LossSum packed = CausalLmLoss.sum(logits, batch.labels());
                assertEquals(padded.count(), packed.count());
                assertEquals(padded.sum().getFloat(), packed.sum().getFloat(), 1e-4);
                // An untrained tiny model is near uniform over 320 tokens: loss ≈ ln 320 ≈ 5.77.
                assertEquals(Math.log(320), packed.meanValue(), 0.3);
                collector.backward(CausalLmLoss.mean(logits, batch.labels()));
                try (NDArray grad = head.getGradient()) {
                    float[] g = grad.toFloatArray();
                    double norm = 0;
                    for (float v : g) {
                        assertTrue(Float.isFinite(v));
                        norm += v * (double) v;
                    }
                    assertTrue(norm > 0, "lm_head gradient is zero");
                }
            } finally {
                head.setRequiresGradient(false);
            }
        }
    }
}
