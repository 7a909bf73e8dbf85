package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.QuantizationSettings;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraLinear;
import io.tuneforge.tuning.quant.Nf4Linear;
import io.tuneforge.tuning.quant.QuantizationConfig;
import io.tuneforge.tuning.quant.QuantizedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SFT with {@code adapter: "qlora"}: the base is NF4 (its f32 projection weights freed), LoRA trains on top, and
 * the adapter it writes is an ordinary PEFT adapter that reproduces the trained model over an NF4 base.
 */
class QloraTrainingTest {

    @TempDir
    Path dir;

    @Test
    void trainsLoraOverAnNf4BaseAndTheLossFalls() throws Exception {
        Path model = TrainFixtures.tinyModel(dir.resolve("model"), 0.2);
        Path train = TrainFixtures.dataset(dir.resolve("train.jsonl"), 8, 0);
        TrainingRequest request = withQlora(TrainFixtures.request(model, AdapterType.QLORA, TrainFixtures.lora(8, 0),
                TrainFixtures.hyper(10, 5e-3, 4, 1, "constant", 0, 1.0, 0, 0)));
        Path out = dir.resolve("out");
        List<Double> losses = new ArrayList<>();
        float[] trainedLogits;
        try (SftTrainer trainer = SftTrainer.setup(TrainFixtures.setup(request, model, train, null, out, null))) {
            trainer.model().linears().forEach((module, layer) -> assertInstanceOf(Nf4Linear.class,
                    assertInstanceOf(LoraLinear.class, layer, module).base(), module + " wraps an NF4 base"));
            long projectionWeights = trainer.model().parameters().keySet().stream()
                    .filter(n -> n.endsWith("_proj.weight")).count();
            assertEquals(0, projectionWeights, "the dense projection weights were freed");
            trainer.train(new TrainingCallback() {
                @Override
                public void onStep(StepMetrics m) {
                    losses.add(m.loss());
                }
            }, null);
            trainedLogits = logits(trainer.model());
        }
        assertEquals(20, losses.size(), "8 records, batch 4, 10 epochs");
        assertTrue(losses.get(losses.size() - 1) < 0.5 * losses.get(0), "QLoRA loss falls: " + losses);
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));

        // The saved adapter over a freshly quantized base gives the trained model's logits.
        try (LlamaModel base = LlamaModel.load(model, DeviceSettings.cpu());
             QuantizedModel nf4 = QuantizedModel.quantize(base, QuantizationConfig.from(request.quantization()));
             LoraAdapter adapter = LoraAdapter.load(out.resolve("adapter"), base)) {
            nf4.layers().values().forEach(l -> assertInstanceOf(Nf4Linear.class, l));
            float[] reloaded = logits(base);
            double diff = 0;
            for (int i = 0; i < reloaded.length; i++) {
                diff = Math.max(diff, Math.abs(reloaded[i] - trainedLogits[i]));
            }
            assertTrue(diff < 1e-5, "reloaded QLoRA adapter vs trained model: max |Δ| = " + diff);
        }
    }

    private static TrainingRequest withQlora(TrainingRequest r) {
        return new TrainingRequest(r.schemaVersion(), r.runId(), r.modelName(), r.baseModel(), r.dataset(), r.method(),
                AdapterType.QLORA, r.lora(), new QuantizationSettings("nf4", true), r.hyperparameters(),
                r.evaluation(), r.export(), r.metadata()).withDefaults();
    }

    private static float[] logits(LlamaModel model) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.create(new long[] {257, 117, 115, 101, 114, 10, 99, 51, 63}, new Shape(1, 9));
            return model.forwardLast(ids, null, null).toFloatArray();
        }
    }
}
