package io.tuneforge.contracts.augmentation;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

import java.util.List;
import java.util.Map;

/**
 * Command: grow a dataset version with LLM rewrites; the result is a new version whose parent is {@code source}.
 *
 * @param jobId      idempotency key and aggregate id of the job
 * @param operations any of {@code paraphrase}, {@code variations}, {@code backTranslate}
 * @param settings   per-operation settings (n, pivotLanguage, model, temperature, maxRecords, ...)
 */
public record AugmentationRequested(int schemaVersion, @Required String jobId, @Required DatasetVersionRef source, @Required List<String> operations,
                                    Map<String, Object> settings) implements EventPayload {

    @Override
    public String aggregateId() {
        return jobId;
    }
}
