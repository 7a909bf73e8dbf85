package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tiny model, small memorisable datasets and requests the trainer tests share. */
final class TrainFixtures {

    static final String[] COLOURS = {"red", "blue", "green", "black", "white", "pink", "grey", "gold",
            "teal", "navy", "lime", "rose", "sand", "plum", "jade", "ruby"};

    private TrainFixtures() {
    }

    /** The default tiny Llama (hidden 64, 2 layers, byte-level tokenizer, ChatML). */
    static Path tinyModel(Path dir) {
        TinyModel.write(dir, TinySpec.defaults());
        return dir;
    }

    /**
     * The tiny Llama with weights of std {@code initStd}. LoRA leaves the LM head and the final norm frozen; with
     * the default std 0.02 they bound every logit to about ±1.3 (|w_row| ≈ 0.02·√64, |h| = √64), so no adapter can
     * take the loss far below ln 320 ≈ 5.8. A larger std gives the head room for a memorising adapter.
     */
    static Path tinyModel(Path dir, double initStd) {
        TinySpec d = TinySpec.defaults();
        TinyModel.write(dir, new TinySpec(d.seed(), d.architecture(), d.hiddenSize(), d.numLayers(), d.numHeads(),
                d.numKvHeads(), d.intermediateSize(), d.vocabSize(), d.maxPositionEmbeddings(), d.ropeTheta(),
                d.rmsNormEps(), d.tieWordEmbeddings(), d.ropeScaling(), d.slidingWindow(), initStd));
        return dir;
    }

    /** {@code n} short instruction records ("c3?" → "teal"), memorisable by the tiny model. */
    static Path dataset(Path file, int n, int offset) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i + offset;
            lines.add("{\"instruction\": \"c" + k + "?\", \"output\": \"" + COLOURS[k % COLOURS.length] + "\"}");
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Hyperparameters hyper(int epochs, double lr, int batch, int accumulation, String scheduler, double warmupRatio,
                                 double maxGradNorm, int checkpointSteps, int evalSteps) {
        return new Hyperparameters(epochs, lr, batch, accumulation, 64, warmupRatio, null, scheduler, 0.01, maxGradNorm,
                0.1, 42L, checkpointSteps, evalSteps, false, false);
    }

    static TrainingRequest request(Path model, AdapterType adapter, LoraSettings lora, Hyperparameters h) {
        return new TrainingRequest(1, null, null, model.toString(), DatasetSpec.local("train.jsonl", null),
                TrainingMethod.SFT, adapter, lora, null, h, null, null, null);
    }

    static LoraSettings lora(int r, double dropout) {
        return new LoraSettings(r, 2.0 * r, dropout, LoraSettings.ALL_TARGETS, false);
    }

    static TrainingSetup setup(TrainingRequest request, Path model, Path train, Path eval, Path out, Path resume) {
        return new TrainingSetup(request, model, train, eval, out, resume, DeviceSettings.cpu());
    }
}
