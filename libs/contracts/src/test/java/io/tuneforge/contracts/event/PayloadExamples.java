package io.tuneforge.contracts.event;

import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetRejected;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.evaluation.MetricComparison;
import io.tuneforge.contracts.registry.AliasSet;
import io.tuneforge.contracts.registry.ModelVersionRegistered;
import io.tuneforge.contracts.training.AdapterType;
import io.tuneforge.contracts.training.DatasetSpec;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.contracts.training.ExportSettings;
import io.tuneforge.contracts.training.Hyperparameters;
import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.contracts.training.QuantizationSettings;
import io.tuneforge.contracts.training.TrainingCancelRequested;
import io.tuneforge.contracts.training.TrainingCancelled;
import io.tuneforge.contracts.training.TrainingCheckpointed;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingFailed;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.contracts.training.TrainingStarted;

import java.util.List;
import java.util.Map;

/**
 * One representative instance of every payload, every field set (so a round trip covers every field). The switch has
 * no default: adding an {@link EventType} without an example here does not compile.
 */
public final class PayloadExamples {

    private PayloadExamples() {
    }

    public static TrainingRequest fullRequest() {
        return new TrainingRequest(1, "run-42", "qwen-support", "s3://tuneforge/models/qwen2.5-0.5b-instruct/",
                DatasetSpec.registered("ds-support", 2), TrainingMethod.DPO, AdapterType.QLORA,
                new LoraSettings(8, 16.0, 0.1, List.of("q_proj", "v_proj"), true),
                new QuantizationSettings("nf4", false),
                new Hyperparameters(2, 1e-4, 4, 2, 1024, 0.1, 10, "linear", 0.0, 0.3, 0.2, 7L, 50, 25, true, true),
                new EvaluationSettings(List.of("rougeL", "rewardAccuracy"), 50, true),
                new ExportSettings(true, "q8_0"), Map.of("team", "support", "ticket", "ML-7"));
    }

    public static EventPayload of(EventType type) {
        ArtifactRef file = new ArtifactRef("s3://tuneforge/runs/run-42/adapter/adapter_model.safetensors",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1_048_576);
        ArtifactRef dir = ArtifactRef.prefix("s3://tuneforge/runs/run-42/adapter/");
        DatasetVersionRef v2 = new DatasetVersionRef("ds-support", 2);
        DatasetVersionRef v3 = new DatasetVersionRef("ds-support", 3);
        return switch (type) {
            case DATASET_IMPORT_REQUESTED -> new DatasetImportRequested(1, "ds-support",
                    "s3://tuneforge/uploads/support.jsonl", Map.of("evalRatio", 0.1, "seed", 7, "format", "auto"));
            case DATASET_PREPARED -> new DatasetPrepared(1, "ds-support", 2, DatasetFormat.CONVERSATION, file, file,
                    file, file, Map.of("input", 120L, "train", 100L, "eval", 12L, "rejected", 8L), v2, "augmentation");
            case DATASET_REJECTED -> new DatasetRejected(1, "ds-support", "s3://tuneforge/uploads/empty.jsonl",
                    "no records", List.of(new FieldError("line 1", "expected a JSON object, got \"x\"")));
            case AUGMENTATION_REQUESTED -> new AugmentationRequested(1, "aug-1", v2, List.of("paraphrase", "variations"),
                    Map.of("n", 3, "temperature", 0.7));
            case AUGMENTATION_COMPLETED -> new AugmentationCompleted(1, "aug-1", v2, v3,
                    Map.of("generated", 300L, "accepted", 280L));
            case AUGMENTATION_FAILED -> new AugmentationFailed(1, "aug-1", v2, "UPSTREAM_UNAVAILABLE",
                    "the chat endpoint answered 503 five times; retry later");
            case TRAINING_REQUESTED -> fullRequest();
            case TRAINING_CANCEL_REQUESTED -> TrainingCancelRequested.of("run-42", "wrong dataset");
            case TRAINING_QUEUED -> TrainingQueued.of(fullRequest());
            case TRAINING_STARTED -> new TrainingStarted(1, "run-42", "cpu", "float32", 2, 8L << 30, 120, 40, "trainer-0");
            case TRAINING_PROGRESS -> new TrainingProgress(1, "run-42", 60, 120, 1.5, 1.25, 1.4, 1.5e-4, 0.8, 2500.0,
                    0.5, 300.0);
            case TRAINING_CHECKPOINTED -> new TrainingCheckpointed(1, "run-42", 50,
                    ArtifactRef.prefix("s3://tuneforge/runs/run-42/checkpoints/step-50/"));
            case TRAINING_COMPLETED -> new TrainingCompleted(1, "run-42", fullRequest(), dir,
                    ArtifactRef.prefix("s3://tuneforge/runs/run-42/merged/"), file,
                    Map.of("trainLoss", 0.9, "evalLoss", 1.1), 123_456, 120, 640.5);
            case TRAINING_FAILED -> TrainingFailed.of("run-42", TrainingErrorCode.INVALID_REQUEST, "1 invalid field",
                    List.of(new FieldError("hyperparameters.epochs", "expected a positive integer up to 1000, got 0")),
                    fullRequest());
            case TRAINING_CANCELLED -> new TrainingCancelled(1, "run-42", 55,
                    ArtifactRef.prefix("s3://tuneforge/runs/run-42/checkpoints/step-50/"), "wrong dataset");
            case EVALUATION_REQUESTED -> new EvaluationRequested(1, "eval-7", "run-42",
                    "s3://tuneforge/models/qwen2.5-0.5b-instruct/", "s3://tuneforge/runs/run-42/adapter/", v2,
                    List.of("rougeL", "bleu"), 100, 256);
            case EVALUATION_COMPLETED -> new EvaluationCompleted(1, "eval-7", "run-42", file, file,
                    Map.of("rougeL", MetricComparison.of(0.31, 0.42)), 100);
            case EVALUATION_FAILED -> new EvaluationFailed(1, "eval-7", "run-42", "ADAPTER_NOT_FOUND",
                    "no adapter at s3://tuneforge/runs/run-42/adapter/");
            case MODEL_VERSION_REGISTERED -> new ModelVersionRegistered(1, "qwen-support", 3, "run-42",
                    "s3://tuneforge/runs/run-42/adapter/", "s3://tuneforge/models/qwen2.5-0.5b-instruct/", "READY");
            case ALIAS_SET -> new AliasSet(1, "qwen-support", "champion", 3);
        };
    }
}
