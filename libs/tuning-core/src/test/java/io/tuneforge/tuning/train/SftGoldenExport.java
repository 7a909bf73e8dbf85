package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.peft.LoraConfig;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

/**
 * Writes what {@code src/test/python/sft_reference.py} starts from: the default tiny model and a freshly
 * initialised LoRA adapter (ours). Not a test; runs only with {@code -Dtuneforge.golden.export=DIR} (see
 * {@code src/test/resources/golden/sft/README.md}).
 */
@EnabledIfSystemProperty(named = "tuneforge.golden.export", matches = ".+")
class SftGoldenExport {

    /** The adapter of the reference steps: r 4, alpha 8, all seven projections, no dropout, seed 7. */
    static final LoraConfig LORA = new LoraConfig(4, 8.0, 0.0, LoraSettings.ALL_TARGETS, false);
    static final long LORA_SEED = 7;

    @Test
    void export() {
        Path out = Path.of(System.getProperty("tuneforge.golden.export"));
        Path model = out.resolve("model");
        TinyModel.write(model, TinySpec.defaults());
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.cpu());
             LoraAdapter adapter = LoraAdapter.attach(llama, LORA, LORA_SEED)) {
            adapter.save(out.resolve("lora-initial"), "tiny");
        }
        System.out.println("wrote " + model + " and " + out.resolve("lora-initial"));
    }
}
