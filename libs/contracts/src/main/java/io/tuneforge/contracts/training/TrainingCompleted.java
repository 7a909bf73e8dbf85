package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.ArtifactRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.Map;

/**
 * The run finished; emitted exactly once per run id.
 *
 * @param request       the request as it ran (defaults filled in)
 * @param adapter       PEFT adapter directory (LoRA/QLoRA), null for full fine-tuning
 * @param model         full model directory (full fine-tuning or merged export), else null
 * @param gguf          GGUF file when requested, else null
 * @param metrics       final metrics: trainLoss, evalLoss, ...
 * @param trainedTokens tokens that contributed to the loss
 * @param steps         optimizer steps taken
 */
public record TrainingCompleted(int schemaVersion, @Required String runId, @Required TrainingRequest request, ArtifactRef adapter,
                                ArtifactRef model, ArtifactRef gguf, Map<String, Double> metrics,
                                long trainedTokens, long steps, double durationSeconds) implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
