package io.tuneforge.tuning.preference;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import io.tuneforge.tuning.train.TrainingSetup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tiny model, a small preference set whose answers differ clearly, and requests for the trainer tests. */
final class PreferenceFixtures {

    static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold"};

    private PreferenceFixtures() {
    }

    /** The default tiny Llama (hidden 64, 2 layers, byte-level tokenizer, ChatML). */
    static Path tinyModel(Path dir) {
        TinyModel.write(dir, TinySpec.defaults());
        return dir;
    }

    /** {@code n} pairs: "Colour k?" → chosen a colour word, rejected a refusal. */
    static Path pairs(Path file, int n) {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            lines.add("{\"prompt\": \"Colour " + k + "?\", \"chosen\": \"" + COLOURS[k % COLOURS.length]
                    + "\", \"rejected\": \"I will not say.\"}");
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Hyperparameters hyper(int epochs, double lr, int batch, int accumulation, double beta, int checkpointSteps) {
        return new Hyperparameters(epochs, lr, batch, accumulation, 64, 0.0, null, "constant", 0.0, 1.0, beta, 42L,
                checkpointSteps, 0, false, false);
    }

    static TrainingRequest request(Path model, TrainingMethod method, AdapterType adapter, Hyperparameters h) {
        LoraSettings lora = adapter == AdapterType.NONE ? null
                : new LoraSettings(8, 16.0, 0.0, LoraSettings.ALL_TARGETS, false);
        return new TrainingRequest(1, null, null, model.toString(), DatasetSpec.local("train.jsonl", null), method,
                adapter, lora, null, h, null, null, null);
    }

    static TrainingSetup setup(TrainingRequest request, Path model, Path train, Path eval, Path out, Path resume) {
        return new TrainingSetup(request, model, train, eval, out, resume, DeviceSettings.cpu());
    }
}
