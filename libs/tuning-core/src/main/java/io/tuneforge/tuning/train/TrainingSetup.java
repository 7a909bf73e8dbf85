package io.tuneforge.tuning.train;

import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.tuning.device.DeviceSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link SftTrainer#setup} needs, with local paths (the trainer service downloads the
 * base model and the dataset first; {@code tuneforge train} reads them from disk).
 *
 * @param request the training request; stored with its defaults filled in
 * @param baseModel Hugging Face model directory (config.json, safetensors, tokenizer files)
 * @param trainData JSONL of instruction or conversation records
 * @param evalData JSONL for the eval loss, or null
 * @param outputDir where checkpoints/, adapter/ or model/, metrics.jsonl go
 * @param resumeFrom a checkpoint directory or a previous output directory, or null
 * @param device where to train
 */
public record TrainingSetup(TrainingRequest request, Path baseModel, Path trainData, Path evalData, Path outputDir,
                            Path resumeFrom, DeviceSettings device) {

    public TrainingSetup {
        request = Objects.requireNonNull(request, "request").withDefaults();
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(trainData, "trainData");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(device, "device");
    }

    /**
     * A local run: {@code baseModel} is a directory and {@code dataset} is {@code {"path": …, "evalPath": …}},
     * relative paths resolved against {@code configDir} (the folder of the config file).
     *
     * @throws IllegalArgumentException when the request names an s3:// model or a registered dataset
     */
    public static TrainingSetup local(TrainingRequest request, Path configDir, Path outputDir, Path resumeFrom,
                                      DeviceSettings device) {
        String base = request.baseModel();
        if (base == null || base.startsWith("s3://")) {
            throw new IllegalArgumentException("baseModel '" + base + "' must be a local model directory for a local"
                    + " run (s3:// models are trained by trainer-service; use `tuneforge submit`)");
        }
        DatasetSpec d = request.dataset();
        if (d == null || d.path() == null) {
            throw new IllegalArgumentException("dataset must be {\"path\": \"train.jsonl\", \"evalPath\": \"eval.jsonl\"}"
                    + " for a local run; registered datasets (" + (d == null ? "none given" : "id " + d.id())
                    + ") are trained by trainer-service");
        }
        return new TrainingSetup(request, configDir.resolve(base).normalize(), configDir.resolve(d.path()).normalize(),
                d.evalPath() == null ? null : configDir.resolve(d.evalPath()).normalize(), outputDir, resumeFrom, device);
    }
}
