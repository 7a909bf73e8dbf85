package io.tuneforge.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingMethod;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.trainer.training.DeviceBudget;
import io.tuneforge.trainer.training.MemoryEstimate;
import io.tuneforge.tuning.model.ModelConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * What admission checks once the dataset version and the base model are known to exist (every method/adapter
 * combination the request contract allows trains: SftTrainer and PreferenceTrainer take lora, qlora and none): that
 * the dataset's format fits the method (preference records for DPO/ORPO,
 * instruction or conversation records for SFT, as the manifest says), and that an estimate of the run's memory
 * fits the device ({@link MemoryEstimate}).
 */
@ApplicationScoped
public class RequestFeasibility {

    /** Why a request cannot run: the error code, the message, and the fields at fault. */
    public record Problem(TrainingErrorCode code, String message, List<FieldError> fieldErrors) {
    }

    private final ArtifactStore store;
    private final BucketStores buckets;
    private final DeviceBudget budget;

    public RequestFeasibility(ArtifactStore store, BucketStores buckets, DeviceBudget budget) {
        this.store = store;
        this.buckets = buckets;
        this.budget = budget;
    }

    /** Empty when {@code request} (defaults filled) can run here; else the first problem found. */
    public Optional<Problem> check(TrainingRequest request) {
        Optional<Problem> format = formatMismatch(request);
        if (format.isPresent()) {
            return format;
        }
        return memory(request);
    }

    private Optional<Problem> formatMismatch(TrainingRequest request) {
        String key = ObjectKeys.datasetManifest(request.dataset().id(), request.dataset().version());
        JsonNode manifest = store.getJson(key, JsonNode.class);
        String format = manifest.path("format").asText("");
        if (format.isEmpty()) {
            return Optional.empty(); // an older manifest without a format: the recipe reports unusable records
        }
        boolean preference = format.equals("preference");
        boolean wantsPreference = request.method() != TrainingMethod.SFT;
        if (preference == wantsPreference) {
            return Optional.empty();
        }
        String method = request.method().wireName();
        String needed = wantsPreference ? "preference records (prompt, chosen, rejected)"
                : "instruction or conversation records";
        String fix = wantsPreference ? "prepare a preference dataset, or use method sft"
                : "use method dpo or orpo for preference data, or prepare an instruction or conversation dataset";
        String message = "Dataset '" + request.dataset().id() + "' version " + request.dataset().version()
                + " holds " + format + " records (" + store.uri(key) + "), but method '" + method + "' needs "
                + needed + "; " + fix + ".";
        return Optional.of(new Problem(TrainingErrorCode.DATASET_FORMAT_MISMATCH, message,
                List.of(new FieldError("method", "expected a method that trains on " + format + " records, got '"
                        + method + "'"))));
    }

    private Optional<Problem> memory(TrainingRequest request) {
        S3Uri config = BucketStores.resolve(request.baseModel(), ArtifactChecks.MODEL_CONFIG);
        ModelConfig model;
        try {
            model = ModelConfig.fromJson(new String(buckets.forBucket(config.bucket()).getBytes(config.key()),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Optional.of(new Problem(TrainingErrorCode.BASE_MODEL_NOT_FOUND, "Base model " + request.baseModel()
                    + " cannot be read: " + config + " is not a supported Hugging Face config (" + e.getMessage()
                    + "). Upload a Llama, Qwen2 or Mistral model in Hugging Face layout.", List.of()));
        }
        MemoryEstimate estimate = MemoryEstimate.of(model, request, budget.device().isGpu());
        long available = budget.memoryBytes();
        if (estimate.total() <= available) {
            return Optional.empty();
        }
        return Optional.of(new Problem(TrainingErrorCode.INSUFFICIENT_MEMORY, "Run needs about "
                + estimate.describe() + " on " + budget.deviceName() + ", but " + String.format(java.util.Locale.ROOT,
                "%.2f GiB", available / (double) (1L << 30)) + " is available. Lower hyperparameters.batchSize (now "
                + request.hyperparameters().batchSize() + ") or maxSeqLength (now "
                + request.hyperparameters().maxSeqLength() + "), use adapter lora or qlora, or give the trainer more"
                + " memory (tuneforge.trainer.compute.memory-limit-bytes).", List.of()));
    }
}
