package io.tuneforge.registry.rest;

import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.registry.persistence.RunEntity;

import java.time.Instant;

/**
 * A run in a list.
 *
 * @param dataset   the dataset version it trains on; null for local data or when not known yet
 * @param errorCode TrainingErrorCode of a failed run
 * @param createdAt time of its earliest event
 * @param updatedAt time of its latest event
 */
public record RunSummaryView(String runId, TrainingStatus status, String modelName, String baseModel,
                             DatasetVersionRef dataset, String errorCode, Instant createdAt, Instant updatedAt) {

    static RunSummaryView from(RunEntity run) {
        return new RunSummaryView(run.runId, run.status, run.modelName, run.baseModel, dataset(run), run.errorCode,
                run.createdAt, run.updatedAt);
    }

    static DatasetVersionRef dataset(RunEntity run) {
        return run.datasetId == null || run.datasetVersion == null
                ? null : new DatasetVersionRef(run.datasetId, run.datasetVersion);
    }
}
