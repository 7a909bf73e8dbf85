package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;

import java.util.Map;

/**
 * The main public contract: what to fine-tune, on which data, how (DESIGN.md §4). Published as the data of a
 * {@code io.tuneforge.training.requested} event, or as plain JSON on the training command topic.
 * Modelled on the OpenAI fine-tuning job and LLaMA-Factory/Axolotl configs. Absent optional sections take defaults
 * ({@link #withDefaults()}); {@link TrainingRequestValidator} reports every bad field at once.
 *
 * @param schemaVersion   shape version of this payload (1)
 * @param runId           optional; generated when absent
 * @param modelName       registered model name the result is filed under; derived from the base model when absent
 * @param baseModel       {@code s3://bucket/models/name/} or, for local runs, a directory
 * @param dataset         a dataset version, or local JSONL files
 * @param method          sft, dpo or orpo
 * @param adapter         lora, qlora or none (full fine-tuning)
 * @param lora            LoRA settings (lora and qlora)
 * @param quantization    base-weight quantization (qlora)
 * @param hyperparameters optimisation settings
 * @param evaluation      what to evaluate after training
 * @param export          merged / GGUF artifacts to publish
 * @param metadata        free-form labels carried to the registry (team, ticket, ...)
 */
public record TrainingRequest(
        int schemaVersion,
        String runId,
        String modelName,
        String baseModel,
        DatasetSpec dataset,
        TrainingMethod method,
        AdapterType adapter,
        LoraSettings lora,
        QuantizationSettings quantization,
        Hyperparameters hyperparameters,
        EvaluationSettings evaluation,
        ExportSettings export,
        Map<String, String> metadata) implements EventPayload {

    public static final int SCHEMA_VERSION = 1;

    public TrainingRequest {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION; // plain JSON requests may omit it
        }
    }

    @Override
    public String aggregateId() {
        return runId;
    }

    /** A copy with the given run id (used when the request arrives without one). */
    public TrainingRequest withRunId(String newRunId) {
        return new TrainingRequest(schemaVersion, newRunId, modelName, baseModel, dataset, method, adapter, lora,
                quantization, hyperparameters, evaluation, export, metadata);
    }

    /** A copy in which every absent optional section and field holds its default. */
    public TrainingRequest withDefaults() {
        AdapterType a = adapter != null ? adapter : AdapterType.LORA;
        return new TrainingRequest(
                schemaVersion, runId, modelName != null ? modelName : ModelNames.fromBaseModel(baseModel), baseModel,
                dataset,
                method != null ? method : TrainingMethod.SFT,
                a,
                a.usesLora() ? (lora != null ? lora.withDefaults() : LoraSettings.defaults()) : null,
                a == AdapterType.QLORA ? (quantization != null ? quantization.withDefaults() : QuantizationSettings.defaults()) : null,
                hyperparameters != null ? hyperparameters.withDefaults() : Hyperparameters.defaults(),
                evaluation != null ? evaluation.withDefaults() : EvaluationSettings.defaults(),
                export != null ? export.withDefaults() : ExportSettings.none(),
                metadata != null ? metadata : Map.of());
    }
}
